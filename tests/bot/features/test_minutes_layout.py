"""The minutes next to the network's own, and what happens after they are confirmed, through /api/messages:
decisions under the item where they were taken, follow-ups written out, "till nästa möte" before a
meeting, and a decision recorded after the minutes were confirmed. Read back as the Markdown and the
Word exports, as the web site and the secretary see them."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from docx import Document

from bot.minutes.publish import publication, render
from storage.meetings_repo import Meeting
from tests.bot.features.test_minutes import (
    MID,
    START,
    _confirm,
    card_text,
    draft_card,
    editor,
    inputs,
    invoke,
    revision_of,
    seed,
)
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, Harness


async def exports(h: Harness) -> tuple[str, list[str]]:
    """The latest confirmed minutes (else the draft) as Markdown and as the Word file's paragraphs."""
    team = await h.store.teams.get_team(TEAM_ID)
    meeting = await h.store.meetings.get(TEAM_ID, MID)
    assert team is not None and meeting is not None
    tz = h.settings.timezone
    pub = await publication(h.store, team, meeting, tz)
    md = render(pub, "md", tz).decode("utf-8")
    doc = Document(io.BytesIO(render(pub, "docx", tz, now=h.clock.now())))
    return md, [p.text for p in doc.paragraphs if p.text.strip()]


def section(paragraphs: list[str], heading: str) -> list[str]:
    """The paragraphs under ``heading`` up to the next heading-like line (a number or a known section)."""
    start = paragraphs.index(heading) + 1
    end = start
    while end < len(paragraphs) and not _is_heading(paragraphs[end]):
        end += 1
    return paragraphs[start:end]


def _is_heading(text: str) -> bool:
    return text.split(".")[0].isdigit() or text in ("Övriga beslut", "Uppdrag", "Kommande möten", "Närvarande")


# 6a: decisions under the item where they were taken --------------------------------------------------
async def test_a_decision_without_an_item_is_printed_under_the_item_handled_when_it_was_taken(harness: Harness) -> None:
    await seed(harness)  # decision 1 "punkt 3" (Nationellt kvalitetssystem) at 10.00
    harness.clock.set(START + timedelta(minutes=20))
    early = " ".join(await harness.say("beslut Tim Andersson är välkommen tillbaka.", SOFIA))  # before any item had a decision
    assert "I minnesanteckningarna står det under" not in early
    harness.clock.set(START + timedelta(minutes=75))
    first = " ".join(await harness.say("beslut Vi återkommer till kvalitetssystemet i december.", SOFIA))  # while punkt 3 was handled
    assert "I minnesanteckningarna står det under punkt 3, Nationellt kvalitetssystem, som beslutet före det." in first
    assert "**ändra beslut 3 punkt 5:**" in first
    await _confirm(harness)
    md, paragraphs = await exports(harness)
    item = section(paragraphs, "2. Nationellt kvalitetssystem")
    assert item == ["Beslut: Skövde och Tibro presenterar Bästa skola 4 december.",
                    "Beslut: Vi återkommer till kvalitetssystemet i december."]
    assert section(paragraphs, "Övriga beslut") == ["Tim Andersson är välkommen tillbaka."]
    assert "**Beslut:** Vi återkommer till kvalitetssystemet i december." in md
    assert md.index("## 2. Nationellt kvalitetssystem") < md.index("Vi återkommer") < md.index("## Övriga beslut")
    assert "## Övriga beslut\n\n- Tim Andersson är välkommen tillbaka." in md


# 7: a decision after the minutes were confirmed -----------------------------------------------------
async def test_a_decision_after_confirmation_says_the_minutes_lack_it_and_the_rattelse_adds_it(harness: Harness) -> None:
    await seed(harness)
    await _confirm(harness)  # version 1, without the decision below
    harness.clock.set(START + timedelta(days=3))
    late = " ".join(await harness.say("beslut punkt 3: Anders Warnby samordnar utvärderingen.", SOFIA))
    assert "Beslut **2** är sparat" in late
    assert "redan godkända (version 1) och innehåller inte det här" in late
    assert f"**protokoll rätta {MID}**" in late and "Det blir version 2" in late
    # Anyone else who may record is told who can correct the minutes.
    corrected = " ".join(await harness.say("ändra beslut 1 punkt 3: Skövde och Tibro presenterar Bästa skola 11 december.", ANNA))
    assert "Beslut **1** är rättat" in corrected
    assert f"Säg till sekreteraren ({SOFIA.name}), som kan rätta dem med **protokoll rätta {MID}**" in corrected
    # The rättelse: built from the records as they are now, confirmed with its reason as version 2.
    started = " ".join(await harness.say(f"protokoll rätta {MID}", SOFIA))
    assert "Du kan nu rätta protokollet" in started
    during = " ".join(await harness.say("beslut punkt 3: Rapporten skickas till skolcheferna.", SOFIA))
    assert "håller på att rättas: det här kommer med i rättelsen" in during
    card = await editor(harness)
    done = await invoke(harness, "minutes_approve",
                        {**inputs(card), "meeting_id": MID, "revision": revision_of(card), "reason": "Beslut tillagda i efterhand"}, SOFIA)
    assert "Godkänt (version 2)" in card_text(done["value"])
    md, paragraphs = await exports(harness)
    assert section(paragraphs, "2. Nationellt kvalitetssystem") == [
        "Beslut: Skövde och Tibro presenterar Bästa skola 11 december.",
        "Beslut: Anders Warnby samordnar utvärderingen.",
        "Beslut: Rapporten skickas till skolcheferna.",
    ]
    assert "Rättelse: Beslut tillagda i efterhand" in paragraphs
    assert "Rättelse: Beslut tillagda i efterhand" in md and "**Beslut:** Anders Warnby samordnar utvärderingen." in md
    # Version 1 is kept as it was confirmed.
    assert "Anders Warnby samordnar" not in str((await harness.store.minutes.version(TEAM_ID, MID, 1)).content)


async def test_a_decision_before_confirmation_gets_no_such_word(harness: Harness) -> None:
    await seed(harness)
    harness.clock.set(START + timedelta(hours=2))
    reply = " ".join(await harness.say("beslut punkt 3: Anders Warnby samordnar utvärderingen.", SOFIA))
    assert "Beslut **2** är sparat" in reply and "godkända" not in reply and "protokoll rätta" not in reply


# 6b and 8c: Uppföljning av uppdrag -------------------------------------------------------------------
async def test_follow_ups_are_written_out_and_leave_out_the_items_made_for_this_meeting(harness: Harness) -> None:
    await seed(harness)
    # Before any meeting had begun: the item is for this meeting, so followed up at the next one.
    harness.clock.set(START - timedelta(days=40))
    before = " ".join(await harness.say("uppgift Förbereda laget runt <at>Anna Gustafsson</at>", ANNA, mentions=[ANNA]))
    assert "Till mötet: fredag 20 november 2026" in before
    earlier = Meeting(id="20261030", team_key=TEAM_ID, starts_at=START - timedelta(days=21),
                      ends_at=START - timedelta(days=21, hours=-3), location="Teams")
    await harness.store.meetings.save(earlier)
    harness.clock.set(earlier.starts_at + timedelta(hours=1))  # at the October meeting: followed up in November
    await harness.say("uppgift Boka lokal <at>Peter Stark</at> till 13 november", ANNA, mentions=[PETER])
    harness.clock.set(START + timedelta(hours=4))
    card = await draft_card(harness)
    assert "#2" not in card_text(card) and "#1" not in card_text(card)
    await _confirm(harness)
    md, paragraphs = await exports(harness)
    follow_up = section(paragraphs, "2. Uppföljning av uppdrag")
    # (The seed's decision names punkt 3, which the follow-up item has become: it is printed there too.)
    assert follow_up[0] == f"Boka lokal – {PETER.name}, senast fredag 13 november 2026 (försenad)"
    assert not [p for p in follow_up if "Förbereda" in p or "Mejla" in p]
    assert "Förbereda laget runt" in " ".join(section(paragraphs, "Uppdrag"))
    assert "#" not in md.split("## 2. Uppföljning av uppdrag")[1].split("## ")[0]
    assert "- Boka lokal – Peter Stark, senast fredag 13 november 2026 (försenad)" in md


# The example in docs/minutes.md ----------------------------------------------------------------------
DOCS = Path(__file__).resolve().parents[3] / "docs" / "minutes.md"
EXAMPLE_START = "<!-- example: tests/bot/features/test_minutes_layout.py -->\n```markdown\n"


async def example_minutes(h: Harness) -> str:
    """A meeting as the network holds one, recorded through /api/messages and confirmed: its Markdown export."""
    await seed(h)
    await h.say("protokoll namn Nätverket Utvecklingsledare, Skolutveckling i Skaraborg, SKIS", ANNA)
    october = Meeting(id="20261030", team_key=TEAM_ID, starts_at=START - timedelta(days=21),
                      ends_at=START - timedelta(days=21, hours=-3), location="Teams")
    await h.store.meetings.save(october)
    h.clock.set(october.starts_at + timedelta(hours=1))
    await h.say("uppgift Boka lokal för vårens möten <at>Peter Stark</at> till 13 november", ANNA, mentions=[PETER])
    h.clock.set(START + timedelta(minutes=70))
    await h.say("ändra beslut 1 punkt 4: Skövde och Tibro presenterar Bästa skola 4 december.", SOFIA)
    h.clock.set(START + timedelta(minutes=80))
    await h.say("beslut Nätverket återkommer till kvalitetssystemet i december.", SOFIA)
    await h.say("närvarande Anna, Sofia, Anders Warnby, Emma Boman", SOFIA)
    h.clock.set(START + timedelta(hours=4))
    await draft_card(h)
    card = await editor(h)
    notes = {**inputs(card), "notes_t1": "Anders går igenom det nationella kvalitetssystemet.\n- Vad innebär det för oss i Skaraborg?\n- Hur följer vi upp det?"}
    await invoke(h, "minutes_approve", {**notes, "meeting_id": MID, "revision": revision_of(card)}, SOFIA)
    md, _paragraphs = await exports(h)
    return md


async def test_the_example_in_docs_minutes_md_is_the_export_of_a_recorded_meeting(harness: Harness) -> None:
    md = await example_minutes(harness)
    docs = DOCS.read_text(encoding="utf-8")
    assert EXAMPLE_START in docs, "docs/minutes.md has lost its example"
    shown = docs.split(EXAMPLE_START, 1)[1].split("```\n", 1)[0]
    assert shown == md
