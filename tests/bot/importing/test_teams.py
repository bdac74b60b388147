"""`importera` in Teams through /api/messages: a file sent in 1:1, the preview card, Importera."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.importing.download import FILE_DOWNLOAD_INFO, allowed
from bot.routing import ACTION_IMPORT_CONFIRM
from tests.cards_schema import assert_valid_card
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, Harness, User

SEEDS = Path(__file__).resolve().parent / "seeds"
SCANNED = (
    "Protokoll SKIS 2019-03-15\n\n"
    "Nérvarande: Peter Stark Skévde, Anna Gustafsson Gétene och Lena Holm Falkoping\n\n"
    "Beslut: Nitverket ska triffas pa fredagar i Téreboda under véren.\n\n"
    "Peter mailar ut kallelsen till nésta mote.\n"
)


class Files:
    """A stand-in for OneDrive: serves files at /<name> on the fake connector's host."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.gets = 0
        self.base = ""
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/{name}", self._get)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base = f"http://127.0.0.1:{port}"

    async def _get(self, request: web.Request) -> web.Response:
        self.gets += 1
        data = self.files.get(request.match_info["name"])
        return web.Response(body=data) if data is not None else web.Response(status=404)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


@pytest.fixture
async def files() -> AsyncIterator[Files]:
    f = Files()
    await f.start()
    yield f
    await f.stop()


def attachment(name: str, url: str) -> list[dict[str, Any]]:
    return [{"contentType": FILE_DOWNLOAD_INFO, "name": name, "contentUrl": url, "content": {"downloadUrl": url, "uniqueId": "u1", "fileType": name.rsplit(".", 1)[-1]}}]


async def setup(harness: Harness) -> None:
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
    member = await harness.store.teams.get_member(TEAM_ID, SOFIA.aad)
    assert member is not None
    await harness.store.teams.save_member(TEAM_ID, replace(member, roles=frozenset({"medlem", "sekreterare"})))


async def send_file(harness: Harness, files: Files, name: str, data: bytes, text: str = "importera", user: User = SOFIA) -> tuple[list[str], list[dict[str, Any]]]:
    files.files[name] = data
    before = len(harness.connector.posted)
    resp = await harness.post(harness.message(text, user, where="personal", attachments=attachment(name, f"{files.base}/{name}")))
    assert resp.status == 200
    posted = harness.connector.posted[before:]
    return [p.text for p in posted if p.text], [c for p in posted for c in p.cards]


async def confirm(harness: Harness, card: dict[str, Any], user: User = SOFIA, **inputs: str) -> str:
    (button,) = card["actions"]
    data = {k: v for k, v in button["data"].items() if k != "action"}
    resp = await harness.post(harness.invoke(ACTION_IMPORT_CONFIRM, {**data, **inputs}, user, where="personal"))
    assert resp.status == 200
    body = await resp.json()
    return str(body["value"])


async def test_the_secretary_imports_scanned_minutes_from_a_card(harness: Harness, files: Files) -> None:
    await setup(harness)
    texts, cards = await send_file(harness, files, "skannat 2019.txt", SCANNED.encode("utf-8"))
    assert texts == [] and len(cards) == 1
    card = cards[0]
    assert_valid_card(card)
    raw = json.dumps(card, ensure_ascii=False)
    assert "Import av skannat 2019.txt" in raw
    assert "Nätverket ska träffas på fredagar i Töreboda under våren. (stycke 3)" in raw
    assert "Peter Stark, Skövde (stycke 2)" in raw and "Gétene → Götene" in raw
    date_input = next(e for e in card["body"] if e.get("type") == "Input.Date")
    assert date_input["value"] == "2019-03-15"
    assert await harness.store.decisions.all(TEAM_ID) == []  # nothing is stored before Importera

    answer = await confirm(harness, card, date="2019-03-15")
    assert "Klart! Mötet 2019-03-15 är importerat: 3 närvarande, 1 beslut, 1 föreslagna uppgifter" in answer
    (decision,) = await harness.store.decisions.all(TEAM_ID)
    assert decision.source == {"file": "skannat 2019.txt", "paragraph": 3}
    cards = await harness.say_cards("beslutslogg toreboda", SOFIA, where="personal")
    assert "Töreboda under våren" in json.dumps(cards, ensure_ascii=False)

    assert "redan importerad" in await confirm(harness, card, date="2019-03-15")  # a second click
    assert len(await harness.store.decisions.all(TEAM_ID)) == 1


async def test_minutes_without_a_date_take_the_date_from_the_card(harness: Harness, files: Files) -> None:
    await setup(harness)
    _, (card,) = await send_file(harness, files, "hosten.txt", (SEEDS / "002_50fb19cfd51f10ad.txt").read_bytes())
    raw = json.dumps(card, ensure_ascii=False)
    assert "OSÄKERT: inget datum i rubriken" in raw
    assert next(e for e in card["body"] if e.get("type") == "Input.Date")["value"] == ""
    assert "fyll i mötets datum" in await confirm(harness, card)
    answer = await confirm(harness, card, date="2024-09-20")
    assert "Mötet 2024-09-20 är importerat" in answer and "3 planerade möten" in answer
    assert [m.id for m in await harness.store.meetings.all(TEAM_ID)][:4] == ["20240920", "20241002", "20241108", "20241204"]


async def test_the_file_must_be_the_one_on_the_card(harness: Harness, files: Files) -> None:
    await setup(harness)
    _, (card,) = await send_file(harness, files, "m.txt", SCANNED.encode("utf-8"))
    files.files["m.txt"] = SCANNED.replace("Téreboda", "Tibro").encode("utf-8")
    assert "har ändrats" in await confirm(harness, card, date="2019-03-15")
    assert await harness.store.decisions.all(TEAM_ID) == []


async def test_who_where_and_what_is_refused(harness: Harness, files: Files) -> None:
    await setup(harness)
    files.files["m.txt"] = SCANNED.encode("utf-8")
    # In the channel: told to use the 1:1 chat; nothing is fetched.
    replies = await harness.say("importera", SOFIA, attachments=attachment("m.txt", f"{files.base}/m.txt"))
    assert "i vår chatt (1:1)" in replies[0] and files.gets == 0
    texts, cards = await send_file(harness, files, "m.txt", SCANNED.encode("utf-8"), user=PETER)
    assert "Bara sekreteraren, ordföranden och presidiet" in texts[0] and not cards and files.gets == 0
    replies = await harness.say("importera", SOFIA, where="personal")
    assert "Jag hittar ingen fil" in replies[0]
    texts, _ = await send_file(harness, files, "m.txt", SCANNED.encode("utf-8"), text="importera i höstas")
    assert "Jag förstår inte datumet" in texts[0]
    texts, _ = await send_file(harness, files, "m.odt", b"x")
    assert "okänd filtyp" in texts[0]
    before = files.gets
    resp = await harness.post(harness.message("importera", SOFIA, where="personal", attachments=attachment("m.txt", "https://evil.example.com/m.txt")))
    assert resp.status == 200 and files.gets == before
    assert "ligger inte i Teams/OneDrive" in harness.connector.posted[-1].text
    # A forged card click is refused the same way.
    forged = {"actions": [{"data": {"action": ACTION_IMPORT_CONFIRM, "url": "http://10.0.0.1/x", "sha256": "0", "name": "x.txt"}}]}
    assert "ligger inte i Teams/OneDrive" in await confirm(harness, forged, date="2019-03-15")
    assert "Bara sekreteraren" in await confirm(harness, forged, user=PETER, date="2019-03-15")


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://contoso-my.sharepoint.com/personal/x/file.docx", True),
        ("http://contoso-my.sharepoint.com/file.docx", False),  # not HTTPS
        ("https://sharepoint.com.evil.example/file.docx", False),
        ("https://user:pw@contoso.sharepoint.com/file.docx", False),
        ("https://smba.trafficmanager.net/files/1", True),  # the connector's own host
        ("http://169.254.169.254/latest/meta-data", False),
        ("not a url", False),
    ],
)
def test_download_addresses(url: str, ok: bool) -> None:
    assert allowed(url, "https://smba.trafficmanager.net/emea/") is ok
