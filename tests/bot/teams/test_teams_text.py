"""What Teams really sends reaches what was meant (issue 17, points 1 and 2).

The messages are shaped like tests/shared/payloads/02_channel_message_with_at_mention_thread_reply.json:
``text`` as the Teams client writes it (HTML, entities, ``<at>`` tags), a ``text/html`` copy as an
attachment, and the textFormat the client chose. Each is checked against what the export holds.
"""

from __future__ import annotations

from typing import Any

import pytest
from botbuilder.schema import Activity

from bot.ops import export
from bot.rules.attendance import attend_yes_meaning
from bot.teams.mentions import Mention, addressed_to_bot, plain_text, read_mentions
from storage.attendance_repo import NO, YES
from tests.harness import ANNA, BOT_ID, PETER, SOFIA, Harness, User

TEAM = "19:skis-team@thread.tacv2"
MEETING = "20261204"
BOT_AT = "<at>SKIS-boten</at>"


def teams_message(h: Harness, text: str, user: User = ANNA, *, where: str = "channel", mentions: list[User] | None = None,
                  text_format: str = "plain") -> dict[str, Any]:
    """A message with ``text`` exactly as the Teams client sends it (no mention added for us)."""
    activity = h.message("", user, where=where, mentions=mentions)
    html = text.replace(BOT_AT, '<span itemtype="http://schema.skype.com/Mention" itemscope="" itemid="0">SKIS-boten</span>')
    activity.update(
        {
            "text": text,
            "textFormat": text_format,
            "attachments": [{"contentType": "text/html", "content": html if html.startswith("<") else f"<p>{html}</p>"}],
        }
    )
    if BOT_AT not in text:
        activity["entities"] = [e for e in activity["entities"] if e["mentioned"]["id"] != BOT_ID]
    return activity


async def send(h: Harness, text: str, user: User = ANNA, **kwargs: Any) -> list[str]:
    before = len(h.connector.posted)
    resp = await h.post(teams_message(h, text, user, **kwargs))
    assert resp.status == 200
    return [p.text for p in h.connector.posted[before:] if p.text]


async def exported(h: Harness) -> dict[str, Any]:
    (team,) = [t for t in (await export.build_export(h.store, now=h.clock.now()))["teams"] if t["id"] == TEAM]
    return team


async def meeting_of(h: Harness) -> dict[str, Any]:
    (meeting,) = [m for m in (await exported(h))["meetings"] if m["id"] == MEETING]
    return meeting


async def answer_of(h: Harness, who: User) -> dict[str, Any] | None:
    return next((a for a in (await meeting_of(h))["attendance"] if a["member_id"] == who.aad), None)


async def _setup(h: Harness) -> None:
    await h.install(ANNA, roster=[ANNA, PETER, SOFIA])
    await h.say("nytt möte fredag 4 december kl 9-12 Regionens hus")


# --- The edge itself, as a table ------------------------------------------------------------------

ENTITIES = [
    {"type": "mention", "text": BOT_AT, "mentioned": {"id": BOT_ID, "name": "SKIS-boten"}},
    {"type": "mention", "text": "<at>Anna Gustafsson</at>", "mentioned": {"id": ANNA.id, "name": "Anna Gustafsson", "aadObjectId": ANNA.aad}},
]


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        (f"{BOT_AT} kommer inte&nbsp;", "kommer inte"),
        ("kommer&nbsp;inte", "kommer inte"),
        (f"{BOT_AT}&nbsp;kommer inte", "kommer inte"),
        ("<p>möten</p>", "möten"),
        ("<div>möten</div>", "möten"),
        ("<strong>dagordning</strong>", "dagordning"),
        ("<p><strong>punkt</strong> Nationellt kvalitetssystem &amp; SKA</p>", "punkt Nationellt kvalitetssystem & SKA"),
        ("<p>incheckning Rad ett</p><p>Rad två</p>", "incheckning Rad ett\nRad två"),
        ("<p>incheckning Rad ett</p>\n<p>&nbsp;</p>\n<p>Rad tre</p>", "incheckning Rad ett\n\nRad tre"),
        ("Första raden<br>Andra raden&nbsp;&nbsp;", "Första raden\nAndra raden"),
        ("Två&nbsp;&nbsp;mellanslag  kvar<br/>och\u200b inget\ufeff osynligt", "Två  mellanslag  kvar\noch inget osynligt"),
        ("nytt möte 4 december Skövde stadshus, Köpmannen&nbsp", "nytt möte 4 december Skövde stadshus, Köpmannen"),
        (f"<p>{BOT_AT} uppgift Mejla <at>Anna Gustafsson</at> till 4 december&nbsp;</p>", "uppgift Mejla @Anna Gustafsson till 4 december"),
        ("<ul><li>ett</li><li>två</li></ul>", "ett\ntvå"),
        ("Tom &lt;b&gt; och a < b", "Tom <b> och a < b"),
        ("plats <a href=\"https://teams.microsoft.com/l/meetup-join/x\">Anslut</a>", "plats Anslut (https://teams.microsoft.com/l/meetup-join/x)"),
        ("<a href=\"https://skis.se\">https://skis.se</a>", "https://skis.se"),
        (f"{BOT_AT}<p>hjälp</p>", "hjälp"),
        ("rad ett\nrad två", "rad ett\nrad två"),
    ],
)
def test_teams_text_is_made_plain(raw: str, plain: str) -> None:
    assert read_mentions(raw, ENTITIES, BOT_ID)[0] == plain


def test_mentions_come_with_their_people_and_plain_text_drops_all_tags() -> None:
    text, people = read_mentions(f"{BOT_AT} roll <at>Anna Gustafsson</at>&nbsp;sekreterare", ENTITIES, BOT_ID)
    assert text == "roll @Anna Gustafsson sekreterare"
    assert people == [Mention(ANNA.id, "Anna Gustafsson", ANNA.aad)]
    assert plain_text(f"{BOT_AT}&nbsp;<p>möten</p>") == "möten"


@pytest.mark.parametrize(
    ("text", "entities", "addressed"),
    [
        (f"{BOT_AT} möten", ENTITIES[:1], True),
        (f"<p>{BOT_AT}&nbsp;möten</p>", ENTITIES[:1], True),
        (f"{BOT_AT} möten", [], True),  # a client that leaves out the entities
        ("<at>Anna Gustafsson</at> kan du ta fikat?", ENTITIES[1:], False),
        ("Hej alla, <p>ses på fredag</p>", [], False),
        ("", [], False),
    ],
)
def test_whether_a_message_is_addressed_to_the_bot(text: str, entities: list[dict[str, Any]], addressed: bool) -> None:
    activity = Activity().deserialize({"type": "message", "text": text, "entities": entities, "recipient": {"id": BOT_ID}})
    assert addressed_to_bot(activity) is addressed


@pytest.mark.parametrize(
    ("rest", "meaning"),
    [
        ("", (YES, None)),
        ("!", (YES, None)),
        ("gärna", (YES, None)),
        ("Självklart!", (YES, None)),
        ("ej", (NO, None)),
        ("tyvärr inte, krockar med nämnden", (NO, "krockar med nämnden")),
        ("nog inte", (NO, None)),
        ("att fundera på saken", None),
        ("kanske", None),
        ("om jag hinner", None),
    ],
)
def test_what_follows_kommer(rest: str, meaning: tuple[str, str | None] | None) -> None:
    assert attend_yes_meaning(rest) == meaning


# --- Point 1: the opposite answer is never saved ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where", "answer"),
    [
        (f"{BOT_AT} kommer inte&nbsp;", "channel", NO),
        (f"{BOT_AT}&nbsp;kommer inte", "channel", NO),
        ("kommer&nbsp;inte", "personal", NO),
        (f"<p>{BOT_AT} kommer&nbsp;inte</p>", "channel", NO),
        (f"{BOT_AT} kommer tyvärr inte", "channel", NO),
        (f"{BOT_AT} kommer ej", "channel", NO),
        (f"<p>{BOT_AT} kommer</p>", "channel", YES),
        (f"{BOT_AT} kommer&nbsp;", "channel", YES),
        ("<div>kommer 4 december</div>", "personal", YES),
    ],
)
async def test_attendance_from_teams_text(harness, text: str, where: str, answer: str) -> None:
    await _setup(harness)
    texts = await send(harness, text, SOFIA, where=where)
    assert (await answer_of(harness, SOFIA))["answer"] == answer, texts
    assert "förstod inte" not in texts[0]


async def test_kommer_with_words_it_does_not_understand_asks(harness) -> None:
    await _setup(harness)
    texts = await send(harness, f"{BOT_AT} kommer att fundera på saken", SOFIA)
    assert await answer_of(harness, SOFIA) is None
    assert "inte säker" in texts[0] and "**kommer**" in texts[0] and "**kommer inte**" in texts[0]
    # The note after a no is kept as written, decoded.
    await send(harness, f"{BOT_AT} kommer inte&nbsp;&amp; skickar ingen", SOFIA)
    assert (await answer_of(harness, SOFIA))["answer"] == NO
    assert (await answer_of(harness, SOFIA))["note"] == "& skickar ingen"


# --- Point 2: formatted messages are read, and stored as written ---------------------------------


@pytest.mark.parametrize(
    ("text", "where"),
    [("<p>möten</p>", "personal"), ("<div>möten</div>", "personal"), (f"<p>{BOT_AT}&nbsp;möten</p>", "channel"),
     (f"<div>{BOT_AT}</div><div>möten</div>", "channel")],
)
async def test_formatted_command_is_understood(harness, text: str, where: str) -> None:
    await _setup(harness)
    before = len(harness.connector.posted)
    texts = await send(harness, text, where=where, text_format="xml")
    assert not any("förstod inte" in t for t in texts)
    assert any(p.cards for p in harness.connector.posted[before:])


async def test_formatted_agenda_item_is_stored_decoded(harness) -> None:
    await _setup(harness)
    texts = await send(harness, f"{BOT_AT} <p><strong>punkt</strong> Nationellt kvalitetssystem &amp; SKA</p>")
    assert not any("förstod inte" in t for t in texts)
    assert "Nationellt kvalitetssystem & SKA" in [i["title"] for i in (await meeting_of(harness))["agenda"]]
    texts = await send(harness, "<strong>dagordning</strong>", where="personal")
    assert not any("förstod inte" in t for t in texts)


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        (f"{BOT_AT} <p>incheckning Rad ett</p><p>Rad två</p>", "Rad ett\nRad två"),
        (f"{BOT_AT} incheckning Första raden<br>Andra raden&nbsp;&nbsp;", "Första raden\nAndra raden"),
        (f"{BOT_AT} incheckning Två&nbsp;&nbsp;mellanslag &amp; en &lt;tagg&gt;", "Två  mellanslag & en <tagg>"),
    ],
)
async def test_formatted_checkin_is_stored_as_written(harness, text: str, stored: str) -> None:
    await _setup(harness)
    await send(harness, text, PETER, text_format="xml")
    checkins = [c for c in (await exported(harness))["checkins"] if c["meeting_id"] == MEETING]
    assert [c["answer"] for c in checkins if c["member_id"] == PETER.aad] == [stored]


async def test_checkin_dialog_answer_is_stored_as_written(harness) -> None:
    await _setup(harness)
    await send(harness, f"{BOT_AT} incheckning", PETER)
    await send(harness, f"{BOT_AT} <p>Rad ett&nbsp;&amp; mer</p><p>Rad två</p>", PETER, text_format="xml")
    checkins = [c for c in (await exported(harness))["checkins"] if c["meeting_id"] == MEETING]
    assert [c["answer"] for c in checkins if c["member_id"] == PETER.aad] == ["Rad ett & mer\nRad två"]


async def test_place_with_an_entity_is_stored_decoded(harness) -> None:
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
    await send(harness, f"{BOT_AT} nytt möte fredag 4 december kl 9-12 Skövde stadshus, Köpmannen&nbsp;")
    assert (await meeting_of(harness))["location"] == "Skövde stadshus, Köpmannen"


async def test_action_item_keeps_its_mention_and_due_date(harness) -> None:
    await _setup(harness)
    texts = await send(
        harness,
        f"<p>{BOT_AT} uppgift Mejla inbjudan till SKIS-gruppen <at>Anna Gustafsson</at> till 4 december&nbsp;</p>",
        PETER,
        mentions=[ANNA],
        text_format="xml",
    )
    assert not any("Vem ska" in t for t in texts), texts
    (item,) = (await exported(harness))["action_items"]
    assert item["title"] == "Mejla inbjudan till SKIS-gruppen"
    assert [o["key"] for o in item["owners"]] == [ANNA.aad]
    assert item["due"] == "2026-12-04"


async def test_prompted_place_is_stored_decoded(harness) -> None:
    # The dialogs' prompts read the activity's text: the edge has already made it plain.
    await harness.install(ANNA, roster=[ANNA, PETER, SOFIA])
    await send(harness, f"{BOT_AT} nytt möte")
    await send(harness, f"<p>{BOT_AT}&nbsp;fredag 4&nbsp;december</p>")
    await send(harness, f"{BOT_AT} <div>kl 9&ndash;12</div>")
    await send(harness, f"<p>{BOT_AT}&nbsp;Skövde stadshus, Köpmannen&nbsp;</p>", text_format="xml")
    await send(harness, f"{BOT_AT} <p>inga</p>")
    assert (await meeting_of(harness))["location"] == "Skövde stadshus, Köpmannen"
