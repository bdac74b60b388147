"""A local OpenID metadata endpoint and token minting, so the SDK's real JWT checks run offline.

The SDK fetches keys with blocking ``requests`` calls, so this server runs in its own thread.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

ISSUER = "https://api.botframework.com"


def _b64(n: int) -> str:
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@cache
def _keys() -> tuple[Any, Any]:
    """Two RSA keys (the real one and a forger's), made once per test run: generating is slow."""
    return tuple(rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(2))  # type: ignore[return-value]


class OpenIdServer:
    def __init__(self, kid: str = "test-key", endorsements: tuple[str, ...] = ("msteams",)) -> None:
        self.key, self.other_key = _keys()
        self.kid = kid
        numbers = self.key.public_key().public_numbers()
        self.jwks = {"keys": [{"kty": "RSA", "use": "sig", "kid": kid, "n": _b64(numbers.n), "e": _b64(numbers.e), "endorsements": list(endorsements)}]}
        # A slow or failing endpoint: seconds to wait before answering, and the status to answer.
        self.delay = 0.0
        self.status = 200
        self.requests = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server API
                server.requests += 1
                if server.delay:
                    time.sleep(server.delay)
                if server.status != 200:
                    self.send_response(server.status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if self.path.endswith("/openid-configuration"):
                    body = {"issuer": ISSUER, "jwks_uri": f"{server.base}/keys", "id_token_signing_alg_values_supported": ["RS256"]}
                elif self.path.endswith("/keys"):
                    body = server.jwks
                else:
                    self.send_response(404)
                    self.end_headers()
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a slow endpoint under test)

            def log_message(self, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self.metadata_url = f"{self.base}/.well-known/openid-configuration"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def publish_other_key(self, kid: str) -> None:
        """Publish the second key too, as when the signing keys are rotated."""
        numbers = self.other_key.public_key().public_numbers()
        self.jwks["keys"].append({"kty": "RSA", "use": "sig", "kid": kid, "n": _b64(numbers.n), "e": _b64(numbers.e),
                                  "endorsements": ["msteams"]})

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def token(self, *, audience: str, service_url: str, issuer: str = ISSUER, expires_in: int = 3600,
              kid: str | None = None, key: Any = None, algorithm: str = "RS256", **claims: Any) -> str:
        now = int(time.time())
        payload = {"iss": issuer, "aud": audience, "serviceurl": service_url, "nbf": now - 60, "iat": now - 60, "exp": now + expires_in, **claims}
        return jwt.encode(payload, key or self.key, algorithm=algorithm, headers={"kid": kid or self.kid})
