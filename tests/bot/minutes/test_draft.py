"""The draft document: built from records in the seeds' layout; the secretary's edits laid over it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.minutes.draft import (
    CHAIR,
    CHECKIN_SUMMARY,
    CHECKOUT_SUMMARY,
    AgendaEntry,
    Officer,
    Publication,
    apply_edits,
    build_draft,
    edit_fields,
    field_value,
    merge_edits,
    officer_lines,
    place_decisions,
    sections,
    status_lines,
)
from storage.minutes_repo import canonical_json
from tests.bot.minutes.sample import TZ, confirmed_pub, decision, draft_pub, sources

AT = datetime(2023, 5, 29, 12, 0, tzinfo=UTC)


def test_build_draft_has_every_part_written_out_in_swedish() -> None:
    c = build_draft(sources())
    assert c["network"] == "SKIS" and c["meeting_id"] == "20230526"
    assert (c["date"], c["date_text"], c["time_text"], c["place"]) == ("2023-05-26", "fredag 26 maj 2023", "08.30–12.00", "Skövde stadshus")
    assert c["attendees"][1] == {"name": "Anders Warnby", "municipality": "Skövde", "substitute_for": "Peter Stark", "guest": False}
    assert c["attendees"][2]["guest"] is True
    assert c["officers"] == [{"role": "chair", "name": "Anna Gustafsson", "municipality": "Götene"},
                             {"role": "secretary", "name": "Sofia Adolfsson", "municipality": "Lidköping"}]
    assert c["checkin"]["question"] == "Vad tog du med från förra mötet?"
    # Answers by name, with the member's municipality.
    assert [a["name"] for a in c["checkin"]["answers"]] == ["Anna Gustafsson", "Hans Bäckström"]
    assert c["checkin"]["answers"][0]["municipality"] == "Götene"
    assert [i["number"] for i in c["items"]] == [2, 3, 4, 5]
    assert c["items"][1]["decisions"] == [{"number": 7, "text": "Skövde och Tibro presenterar hur de arbetar med Bästa skola på mötet 1 juni 2018."}]
    assert c["decisions"] == [{"number": 8, "text": "Tim Andersson är välkommen tillbaka."}]
    assert c["action_items"][0] == {
        "number": 12,
        "title": "Mejla inbjudan till SKIS-gruppen",
        "owners": "Anna Gustafsson",
        "due_text": "till nästa möte (fredag 9 juni 2023)",
        "done": False,
    }
    assert c["action_items"][1]["owners"] == "alla i nätverket" and c["action_items"][1]["done"]
    assert c["upcoming"] == [
        {"meeting_id": "20230609", "date_text": "fredag 9 juni 2023", "time_text": "08.30–12.00", "place": "Teams", "topics": ["UP2, Utvecklingsplaner"]}
    ]
    assert c["checkout"]["answers"][0]["answer"] == "Eleverna"
    canonical_json(c)  # JSON-ready: the hash can be taken


def test_a_decision_whose_item_is_not_on_the_agenda_is_listed_under_beslut() -> None:
    c = build_draft(sources(agenda=()))
    assert c["items"] == [] and [d["number"] for d in c["decisions"]] == [7, 8]


def test_build_is_deterministic() -> None:
    assert canonical_json(build_draft(sources())) == canonical_json(build_draft(sources()))


def test_edits_lay_over_the_built_document_and_follow_the_item() -> None:
    c = build_draft(sources())
    assert edit_fields(c) == [CHECKIN_SUMMARY, "notes_standing-laget-runt", "notes_t1", "notes_p1", "notes_standing-ovriga-fragor", CHECKOUT_SUMMARY]
    edits = {
        "notes_p1": {"text": "Tidaholm har haft kvalitetsdialog.", "rev": 2},
        CHECKIN_SUMMARY: {"text": "Alla tog med sig något.", "rev": 2},
        "notes_gone": {"text": "punkten är borttagen", "rev": 2},
    }
    out = apply_edits(c, edits)
    assert field_value(out, "notes_p1") == "Tidaholm har haft kvalitetsdialog."
    assert out["checkin"]["summary"] == "Alla tog med sig något."
    assert c["checkin"]["summary"] == ""  # the input is not changed
    # The agenda reordered: the notes stay with their item, not its number.
    moved = build_draft(sources(agenda=tuple(reversed(sources().agenda))))
    assert next(i for i in apply_edits(moved, edits)["items"] if i["key"] == "p1")["notes"] == "Tidaholm har haft kvalitetsdialog."


def test_merge_edits_keeps_someone_elses_later_text() -> None:
    c = build_draft(sources())
    stored = {"notes_p1": {"text": "Peters text", "rev": 5, "by": "peter"}}
    submitted = {"notes_p1": "Sofias text", "notes_t1": "Ny\r\ntext ", "checkin_summary": "", "unknown": "x", "revision": 4}
    merged = merge_edits(stored, submitted, edit_fields(c), card_revision=4, current_revision=5, content=apply_edits(c, stored), by="sofia", at=AT)
    assert merged.conflicts == ("notes_p1",)
    assert merged.changed == ("notes_t1",)
    assert merged.edits["notes_p1"]["text"] == "Peters text"
    assert merged.edits["notes_t1"] == {"text": "Ny\ntext", "rev": 6, "by": "sofia", "at": AT.isoformat()}
    assert "unknown" not in merged.edits and CHECKIN_SUMMARY not in merged.edits  # unchanged fields are not stored
    # Her own later text is hers to overwrite.
    mine = merge_edits({"notes_p1": {"text": "a", "rev": 5, "by": "sofia"}}, {"notes_p1": "b"}, edit_fields(c),
                       card_revision=4, current_revision=5, content=c, by="sofia", at=AT)
    assert mine.changed == ("notes_p1",) and not mine.conflicts


def test_sections_follow_the_seed_layout() -> None:
    headings = [h for h, _ in sections(draft_pub())]
    # Laget runt and the Tidaholm item have nothing under them: not printed; the agenda's headings
    # are numbered as printed, from 1 (Incheckning and Utcheckning included).
    assert headings == [
        "Närvarande",
        "1. Incheckning",
        "2. Nationellt kvalitetssystem, vad innebär det för oss i Skaraborg",
        "3. Övriga frågor",
        "Övriga beslut",
        "Uppdrag",
        "Kommande möten",
        "4. Utcheckning",
    ]
    blocks = dict(sections(draft_pub()))
    # Members first, guests (here the federation) after them.
    assert blocks["Närvarande"] == [("list", ["Hans Bäckström, Karlsborg", "Anders Warnby, Skövde (ersättare för Peter Stark)",
                                              "Susanne Sandgren, Skaraborgs kommunalförbund"])]
    assert ("label", ("Beslut", "Skövde och Tibro presenterar hur de arbetar med Bästa skola på mötet 1 juni 2018.")) in blocks[
        "2. Nationellt kvalitetssystem, vad innebär det för oss i Skaraborg"]
    assert blocks["Uppdrag"] == [("list", [
        "Mejla inbjudan till SKIS-gruppen – Anna Gustafsson, till nästa möte (fredag 9 juni 2023)",
        "Nämna detta för respektive skolchef – alla i nätverket (klar)",
    ])]
    assert blocks["Kommande möten"] == [("list", ["fredag 9 juni 2023, kl. 08.30–12.00, Teams – UP2, Utvecklingsplaner"])]


def test_an_item_with_only_blank_notes_is_not_printed_but_one_with_a_decision_is() -> None:
    agenda = (AgendaEntry("standing-laget-runt", 2, "Laget runt", "  \n "), AgendaEntry("p1", 3, "Ett beslut utan anteckning", ""))
    pub = Publication(content=build_draft(sources(agenda=agenda, decisions=(decision(1, "Ja.", 3),))), status="draft")
    assert [h for h, _ in sections(pub)] == ["Närvarande", "1. Incheckning", "2. Ett beslut utan anteckning", "Uppdrag",
                                             "Kommande möten", "3. Utcheckning"]


@pytest.mark.parametrize(
    ("recorded", "expected"),
    [
        # (number, item, minutes into the meeting) -> the item each is printed under (None: Övriga beslut)
        ([(1, 3, 60)], {1: 3}),
        ([(1, None, 60)], {1: None}),  # nothing tied to an item was decided before it
        ([(1, 3, 60), (2, None, 70)], {1: 3, 2: 3}),  # taken while punkt 3 was handled
        ([(2, None, 70), (1, 3, 60)], {1: 3, 2: 3}),  # the order they were recorded in counts, not the list's
        ([(1, None, 10), (2, 3, 60), (3, None, 65), (4, 4, 90), (5, None, 95)], {1: None, 2: 3, 3: 3, 4: 4, 5: 4}),
        ([(1, 3, 60), (2, 9, 70), (3, None, 80)], {1: 3, 2: None, 3: 3}),  # punkt 9 is not on the agenda (any more)
    ],
)
def test_a_decision_without_an_item_goes_under_the_item_handled_when_it_was_taken(
    recorded: list[tuple[int, int | None, int]], expected: dict[int, int | None]
) -> None:
    decisions = [decision(n, f"Beslut {n}.", item, minutes=at) for n, item, at in recorded]
    assert place_decisions(decisions, {2, 3, 4, 5}) == expected


def test_a_later_untied_decision_is_printed_under_the_item_and_not_under_ovriga_beslut() -> None:
    later = (decision(7, "Skövde och Tibro presenterar.", 3, minutes=60), decision(8, "Vi tar upp det igen i juni.", None, minutes=75))
    c = build_draft(sources(decisions=later))
    assert [d["number"] for d in c["items"][1]["decisions"]] == [7, 8] and c["decisions"] == []
    assert "Övriga beslut" not in dict(sections(Publication(content=c, status="draft")))


def test_officer_lines_open_the_minutes_as_the_network_writes_them() -> None:
    assert officer_lines(build_draft(sources())) == ["Ordförande: Anna Gustafsson, Götene", "Sekreterare: Sofia Adolfsson, Lidköping"]
    shared = sources(officers=(Officer(CHAIR, "Anna Gustafsson", "Götene"), Officer(CHAIR, "Peter Stark", "Skövde")))
    assert officer_lines(build_draft(shared)) == ["Ordförande: Anna Gustafsson, Götene och Peter Stark, Skövde"]
    assert officer_lines(build_draft(sources(officers=()))) == []
    assert officer_lines({"network": "SKIS"}) == []  # a version confirmed before officers were recorded


def test_a_summary_replaces_the_answers() -> None:
    pub = draft_pub()
    content = apply_edits(pub.content, {CHECKOUT_SUMMARY: {"text": "Alla jobbar för eleverna."}})
    blocks = dict(sections(type(pub)(content=content, status="draft")))
    assert blocks["4. Utcheckning"] == [("label", ("Fråga", "Varför jobbar du där du är?")), ("text", "Alla jobbar för eleverna.")]


def test_status_lines() -> None:
    assert status_lines(draft_pub(), TZ) == ["UTKAST – ännu inte godkänt av sekreteraren"]
    pub = confirmed_pub()
    lines = status_lines(pub, TZ)
    assert lines[0] == "Godkänt (version 1) av Sofia Adolfsson, måndag 29 maj 2023 kl. 14.00."
    assert lines == ["Godkänt (version 1) av Sofia Adolfsson, måndag 29 maj 2023 kl. 14.00."]  # no hash for readers
    assert status_lines(pub, TZ, with_hash=True)[-1] == f"Kontrollsumma (SHA-256): {pub.content_hash}"
    pending = status_lines(confirmed_pub(cosign_required=True, reason="Fel namn", version=2), TZ)
    assert "Rättelse: Fel namn" in pending and "Väntar på justering av ordföranden." in pending
    signed = status_lines(confirmed_pub(cosign_required=True, cosigned_by_name="Anna", cosigned_at=AT), TZ)
    assert "Justerat av Anna, måndag 29 maj 2023 kl. 14.00." in signed


def test_status_lines_of_a_replaced_version_and_of_a_correction_draft() -> None:
    old = status_lines(confirmed_pub(superseded_by=2), TZ)
    assert "Ersatt av version 2 (rättelse). Publicera den senaste versionen." in old
    assert not any(line.startswith("Kontrollsumma") for line in old)
    correcting = status_lines(type(draft_pub())(content=draft_pub().content, status="draft", corrects_version=1), TZ)
    assert correcting == ["UTKAST – rättelse av version 1, ännu inte godkänd (version 1 gäller tills vidare)"]


def test_a_due_text_stored_by_an_earlier_version_reads_as_the_new_ones():
    """Confirmed minutes keep the due text they were drafted with: a bare date or "nästa möte (…)"
    gets its "senast"/"till" when shown, and a text that has one is shown as it is."""
    from bot.minutes.draft import due_phrase

    assert due_phrase("fredag 4 december 2026") == "senast fredag 4 december 2026"
    assert due_phrase("nästa möte (fredag 9 juni 2023)") == "till nästa möte (fredag 9 juni 2023)"
    assert due_phrase("senast fredag 4 december 2026") == "senast fredag 4 december 2026"
    assert due_phrase("till nästa möte (fredag 9 juni 2023)") == "till nästa möte (fredag 9 juni 2023)"
