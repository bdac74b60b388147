"""Outbound Bot Connector calls over aiohttp instead of ``requests`` in a thread pool.

The SDK's async ConnectorClient sends every reply with msrest's ``AsyncRequestsHTTPSender``:
a blocking ``requests`` call run in the default thread pool. Under load that thread competes
with the event loop for the GIL, and each reply costs a pool hand-off plus requests' own
Python overhead; profiling a check-in turn showed it as the largest cost left after the
client reuse in bot/teams/adapter.py. ``use_aiohttp`` swaps only the client's transport (the last
stage of its msrest pipeline) for one aiohttp session on the running loop. Everything else is
the SDK's: its operations, serializers, user-agent and logging policies, error types
(``ErrorResponseException`` with ``.response.status_code`` and ``.headers``), and its
credentials, which still produce the ``Authorization`` header exactly as they do for requests.

``send_plain_json`` gives a client a serializer that copies plain JSON values (a card's content
is a dict of strings, numbers, booleans and lists) as they are, instead of msrest's value by
value dispatch: that walk was the largest cost of a reply carrying a 200-item card. Anything
that is not plain JSON still goes through msrest, so the JSON sent is the same.
"""

from __future__ import annotations

import ssl
from typing import Any

import aiohttp
from msrest.pipeline import AsyncHTTPPolicy, AsyncHTTPSender, AsyncPipeline, Request, Response
from msrest.pipeline.universal import RawDeserializer
from msrest.serialization import Serializer
from msrest.universal_http import ClientRequest, HTTPClientResponse

DEFAULT_TIMEOUT = 100.0  # seconds, msrest's default connection timeout


class _Headers:
    """Stands in for the requests.Session that SDK credentials sign (they only set ``headers``)."""

    def __init__(self) -> None:
        self.headers: dict[str, str] = {}


class _CredentialsPolicy(AsyncHTTPPolicy):
    """Adds the header the credentials would put on a requests session (none when anonymous)."""

    def __init__(self, credentials: Any) -> None:
        super().__init__()
        self._credentials = credentials

    async def send(self, request: Request, **kwargs: Any) -> Response:
        signed = _Headers()
        self._credentials.signed_session(signed)
        request.http_request.headers.update(signed.headers)
        return await self.next.send(request, **kwargs)  # type: ignore[union-attr]


class _AiohttpResponse(HTTPClientResponse):
    def __init__(self, request: ClientRequest, response: aiohttp.ClientResponse, body: bytes) -> None:
        super().__init__(request, response)
        self.status_code = response.status
        self.headers = response.headers  # type: ignore[assignment]  # case-insensitive, like requests' headers
        self.reason = response.reason
        self._body = body

    def body(self) -> bytes:
        return self._body


class _AiohttpSender(AsyncHTTPSender):
    def __init__(self, session_of: Any, timeout: float) -> None:
        self._session_of = session_of
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    async def __aenter__(self) -> _AiohttpSender:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def send(self, request: Request, **config: Any) -> Response:
        http: ClientRequest = request.http_request
        if http.files:
            raise NotImplementedError("multipart uploads are not used by this bot")
        session: aiohttp.ClientSession = self._session_of()
        async with session.request(http.method, http.url, headers=http.headers, data=http.data,
                                   timeout=self._timeout) as response:
            body = await response.read()
        return Response(request, _AiohttpResponse(http, response, body))


class PlainJsonSerializer(Serializer):
    """msrest's serializer with a short path for values that are already plain JSON.

    msrest serialises an ``object``-typed attribute (an attachment's ``content``, an activity's
    ``value`` or ``channelData``) node by node: each string goes through a type lookup,
    ``serialize_basic`` and ``serialize_unicode`` to come out as the same string. For the exact
    types ``str``, ``int``, ``float``, ``bool`` and ``None`` msrest returns the value unchanged,
    and a ``dict`` or ``list`` becomes a new one of its serialised members; this does the same
    directly. Every other type (models, dates, enums, subclasses of the basic types) and the XML
    or custom-serializer modes are left to msrest, so the result is what msrest would produce.
    """

    def serialize_object(self, attr: Any, **kwargs: Any) -> Any:
        if kwargs.get("is_xml") or kwargs.get("basic_types_serializers"):
            return super().serialize_object(attr, **kwargs)
        return self._plain(attr, kwargs)

    def _plain(self, attr: Any, kwargs: dict[str, Any]) -> Any:
        # The leaves of a dict or list (most of a card's values) are taken in the loop itself,
        # without a call each: a card of 200 open items has ~1,000 of them.
        kind = type(attr)
        if kind is str or kind is int or kind is float or kind is bool or attr is None:
            return attr
        if kind is dict:
            serialized: dict[str, Any] = {}
            for key, value in attr.items():
                name = key if type(key) is str else self.serialize_unicode(key)
                leaf = type(value)
                if leaf is str or leaf is int or leaf is float or leaf is bool or value is None:
                    serialized[name] = value
                    continue
                try:
                    serialized[name] = self._plain(value, kwargs)
                except ValueError:  # as msrest: a value it cannot serialise becomes null
                    serialized[name] = None
            return serialized
        if kind is list:
            items: list[Any] = []
            for item in attr:
                leaf = type(item)
                if leaf is str or leaf is int or leaf is float or leaf is bool or item is None:
                    items.append(item)
                    continue
                try:
                    items.append(self._plain(item, kwargs))
                except ValueError:  # as msrest: such an item is left out
                    pass
            return items
        return super().serialize_object(attr, **kwargs)


def send_plain_json(client: Any) -> Any:
    """Give ``client`` (a ConnectorClient) and its operations a ``PlainJsonSerializer``."""
    stock: Serializer = client._serialize
    serializer = PlainJsonSerializer(stock.dependencies)
    # msrest's client-side validation walks every model of each request body (``Model.validate``
    # on the activity, its accounts, attachments, entities) before serialising it: ~20 % of a
    # reply's CPU. It checks the constraints in the models' ``_validation`` maps, and none of the
    # connector's models has any (tests/bot/teams/test_connector_http.py checks every one), so
    # the walk can find nothing; a value of the wrong type still fails in serialisation, as before.
    serializer.client_side_validation = stock.client_side_validation and _has_constraints(stock.dependencies)
    serializer.key_transformer = stock.key_transformer
    client._serialize = serializer
    for name in ("conversations", "attachments"):
        operations = getattr(client, name, None)
        if operations is not None and getattr(operations, "_serialize", None) is stock:
            operations._serialize = serializer
    return client


def _has_constraints(models: dict[str, Any]) -> bool:
    """True when any of ``models`` declares a constraint for msrest's client-side validation."""
    return any(getattr(model, "_validation", None) for model in models.values())


class AiohttpTransport:
    """One aiohttp session (created on first use, on the running loop) for every connector client."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            context = ssl.create_default_context()
            try:
                import certifi  # the CA bundle requests would have used

                context.load_verify_locations(certifi.where())
            except ImportError:
                pass
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=context, limit=100))
        return self._session

    def use_aiohttp(self, client: Any) -> Any:
        """Rebuild ``client``'s msrest pipeline with the same policies and an aiohttp sender."""
        config = client.config
        policies: list[Any] = [config.user_agent_policy]
        if config.credentials is not None:
            policies.append(_CredentialsPolicy(config.credentials))
        policies += [RawDeserializer(), config.http_logger_policy]
        timeout = getattr(getattr(config, "connection", None), "timeout", None) or DEFAULT_TIMEOUT
        config.pipeline = AsyncPipeline(policies, _AiohttpSender(self.session, float(timeout)))
        return client

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
