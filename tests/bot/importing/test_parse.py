"""The minutes parser as tables: every field of the network's three earlier minutes, and the
layouts older minutes use ("Protokoll SKIS <date>", "Ordförande: …", "Beslut: …")."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.importing.extract import extract, split_paragraphs
from bot.importing.parse import MinutesImport, OwnerRef, heading_title, parse_minutes, sentences, unwrap
from bot.importing.repair import repair_paragraphs

SEEDS = Path(__file__).resolve().parent / "seeds"
ORIGINALS = Path(__file__).resolve().parents[4] / "shared" / "seeds"
KF = "Skaraborgs kommunalförbund"


def parse_file(name: str, **kwargs: object) -> MinutesImport:
    found = extract(SEEDS / name)
    paragraphs, repairs = repair_paragraphs(found.paragraphs)
    return parse_minutes(paragraphs, file=found.name, repairs=repairs, **kwargs)  # type: ignore[arg-type]


def people(m: MinutesImport) -> list[tuple[str, str | None, tuple[str, ...], int, bool]]:
    return [(a.name, a.organisation, a.roles, a.source.paragraph, a.uncertain) for a in m.attendees]


def planned(items: tuple) -> list[tuple]:  # type: ignore[type-arg]
    return [(p.day, p.start, p.end, p.place, p.source.paragraph, p.uncertain) for p in items]


def actions(m: MinutesImport) -> list[tuple]:  # type: ignore[type-arg]
    return [(a.owners, a.text, a.source.paragraph, a.uncertain) for a in m.actions]


@pytest.mark.skipif(not ORIGINALS.is_dir(), reason="the shared originals are not next to this checkout")
def test_the_seed_copies_match_the_originals() -> None:
    for copy in SEEDS.glob("*.txt"):
        assert (ORIGINALS / copy.name).read_bytes() == copy.read_bytes(), copy.name


def test_seed_001_one_person_a_line() -> None:
    m = parse_file("001_d9288182e0b31339.txt")
    assert (m.date.value, m.date.source.paragraph, m.date.uncertain) == (date(2023, 5, 26), 1, False)  # type: ignore[union-attr]
    assert (m.place.value, m.chair.value, m.secretary.value) == (None, None, None)
    assert people(m) == [
        ("Susanne Sandgren", KF, (), 3, False),
        ("Sofia Adolfsson", "Lidköping", (), 3, False),
        ("Sofia Andreasson", "Lidköping", (), 3, False),
        ("Pelle Nilsson", "Vara", (), 3, False),
        ("Pernilla Hallqvist", "Vara", (), 3, False),
        ("Peter Stark", "Skövde", (), 3, False),
        ("Anders Warnby", "Skövde", (), 3, False),
        ("Emma Boman", "Mariestad", ("rektor",), 3, False),
        ("Elisabeth Oldin", "Skara", (), 3, False),
        ("Johanna Ljungqvist", "Tidaholm", (), 3, False),
        ("Carina Ålebring", "Tidaholm", (), 3, False),
        ("Anna Gustafsson", "Götene", (), 3, False),
        ("Anna Malmeling Marklund", "Hjo", (), 3, False),
        ("Hans Bäckström", "Karlsborg", (), 3, False),
        ("Fredrik Lindström", "Töreboda", (), 3, False),
    ]
    assert m.decisions == ()
    assert actions(m) == [
        ((OwnerRef("person", "Susanne Sandgren"),), "Susanne skickar ut vad som är på gång framåt", 48, False)
    ]
    # No dated network meeting ("Nästa träff" has no date); 19/6 and the conference are kept apart.
    assert m.meetings == ()
    assert [(p.day, p.text) for p in m.other_events] == [
        (date(2023, 6, 19), "19/6, heldag Regionens hus."),
        (date(2023, 9, 20), "20 september, regional konferens"),
    ]
    assert [h.title for h in m.agenda][:4] == [
        "Incheckning",
        "Laget runt",
        "Nationellt kvalitetssystem, vad innebär det för oss i Skaraborg",
        "Erfarenheter och lärdomar kvalitetsdialog, Tidaholm",
    ]
    assert "Aktuellt just nu" in [h.title for h in m.agenda]
    assert m.repairs == ()  # clean text is never "repaired"


def test_seed_002_no_date_in_the_heading_and_a_paragraph_of_names() -> None:
    m = parse_file("002_50fb19cfd51f10ad.txt")
    assert m.date.value is None and m.date.uncertain and "inget datum" in m.date.notes[0]
    # Without the minutes' date the year of the planned meetings cannot be known: said, not guessed.
    assert [(p.day, p.month, p.day_of_month, p.uncertain) for p in m.meetings] == [
        (None, 10, 2, True),
        (None, 11, 8, True),
        (None, 12, 4, True),
    ]
    m = parse_file("002_50fb19cfd51f10ad.txt", meeting_date=date(2024, 9, 20))
    assert (m.date.value, m.date.source) == (date(2024, 9, 20), None)
    assert people(m) == [
        ("Yvonne Hagle", "Falköping", (), 4, False),
        ("Anna Gustafsson", "Götene", (), 4, False),
        ("Sofia Adolfsson", "Lidköping", (), 4, False),
        ("Theres Rydell", "Lidköping", (), 4, False),
        ("Lisa Björling", "Mariestad", (), 4, False),
        ("Elisabeth Oldin", "Skara", (), 4, False),
        ("Anders Warnby", "Skövde", (), 4, False),
        ("Emelie Ahlén Karlsjö", "Tibro", (), 4, False),
        ("Carina Ålebring-Jonsson", "Tidaholm", (), 4, False),
        ("Louise Belsing", "Töreboda", (), 4, False),
        ("Anneli Alm", "Tidaholm", (), 5, False),
        ("Elin Liljebäck Nilsson", "Skara", (), 5, False),
        ("Susanne Sandgren", KF, (), 5, False),
    ]
    assert m.decisions == ()
    assert actions(m) == [
        (
            (OwnerRef("person", "Elin Liljebäck Nilsson"), OwnerRef("person", "Anneli Alm")),
            "Elin och Anneli har en ambition att få till ett första möte under hösten.",
            11,
            True,  # an intention, not a task: proposed, marked uncertain
        )
    ]
    assert planned(m.meetings) == [
        (date(2024, 10, 2), time(13), time(15), "digitalt", 17, True),  # not a Friday: said so
        (date(2024, 11, 8), time(9), time(15), "Regionens hus, Skövde", 18, False),
        (date(2024, 12, 4), time(13), time(15), "digitalt", 19, True),
    ]
    assert [n for p in m.meetings for n in p.notes] == ["2024-10-02 är ingen fredag", "2024-12-04 är ingen fredag"]
    # The school chiefs' meeting is another event, never one of the network's meetings.
    assert [(p.day, p.source.paragraph) for p in m.other_events] == [(date(2024, 11, 15), 7)]
    assert [h.title for h in m.agenda][-1] == "Höstens möten"


def test_seed_003_scanned_text_is_repaired_and_read() -> None:
    m = parse_file("003_43d007bbcdcf2f3b.txt")
    assert (m.date.value, m.date.source.paragraph, m.date.uncertain) == (date(2024, 5, 24), 1, False)  # type: ignore[union-attr]
    assert people(m) == [
        ("Pernilla Bergman", "Götene", (), 2, False),
        ("Therese Lindberg", "Tibro", (), 2, False),
        ("Emma Bohman", "Tibro", (), 2, False),
        ("Zophia Zander Norell", "Tibro", (), 2, False),
        ("Louise Belsing", "Töreboda", (), 2, False),
        ("Camilla Lundberg", KF, (), 2, False),
        ("Lotta Engelbrektsson", KF, (), 2, False),
        ("Ulrika Eskilsson", "Tidaholm", (), 2, False),
        ("Jonas Bergström", "Hjo", (), 2, True),  # the scan said "Bergstrom": a repaired name is a guess
        ("Marie Westberg", "Tidaholm", (), 2, False),
        ("Ida Modin", "Skara", (), 2, False),
        ("Marie-Louise Brage", "Hjo", (), 2, False),
    ]
    assert m.attendees[8].notes == ('namnet skannat som "Bergstrom", läst som "Bergström"',)
    assert m.decisions == ()
    emma_ulrika = (OwnerRef("person", "Emma Bohman"), OwnerRef("person", "Ulrika Eskilsson"))
    assert actions(m) == [
        (
            emma_ulrika,
            "Ett presidium för Nätverk Skaraborg behöver bildas för att få till en bra agenda att jobba med "
            "på våra möten framöver. Emma Bohman och Ulrika Eskilsson kommer att jobba med detta.",
            18,
            True,  # "detta" points back: the sentence before is included and the item marked
        ),
        (
            emma_ulrika,
            "Emma och Ulrika återkommer om tid när nästa träff blir utifrån de arbete som ska genomföras i presidiet.",
            29,
            False,
        ),
    ]
    assert m.meetings == () and m.other_events == ()
    repaired = {(r.original, r.repaired) for r in m.repairs}
    assert {("Nérvarande", "Närvarande"), ("Gétene", "Götene"), ("Kommunalforbund", "Kommunalförbund")} <= repaired
    assert {("Kommunalférbund", "Kommunalförbund"), ("Téreboda", "Töreboda"), ("aterkommer", "återkommer")} <= repaired


OLD_LAYOUT = """Protokoll SKIS 2019-03-15

Plats: Stadshuset, Skövde
Ordförande: Åsa Öberg, Skövde
Sekreterare: Per Ek, Vara

Närvarande: Åsa Öberg Skövde, Per Ek Vara, Lena Holm Falköping och Karl Berg Essunga

1. Incheckning

Vad tog du med från förra mötet?

2. Fullföljda studier

Nätverket diskuterade hur kommunerna följer upp avbrotten. Lena får i uppdrag att sammanställa kommunernas siffror till nästa möte.

Beslut: Nätverket ställer sig bakom förslaget om gemensamma nyckeltal.
Åsa förmedlar beslutet till skolchefsnätverket.

Beslut: Mötena hålls på fredagar.

3. Uppdrag

Per och Karl förankrar förslaget i sina kommuner. Karl mailar ut presentationen. Per Ek kommer att kontakta Skolverket. Lena Holm ansvarar för nästa incheckning. Var och en läser rapporten till nästa gång. Alla tar med sina siffror. Skolcheferna ska sätta uppdraget. Tibro ansvarar för fikat. Tidaholm arbetar med analysen.

Kommande möten

12 april 9 - 12 (Stadshuset, Skövde)
24 maj kl. 13 (digitalt)
10 januari 8.30-12

Skolledardagen 3 april är inte ett nätverksmöte. Regional konferens 26/4.
"""


def test_an_older_layout_with_chair_secretary_decisions_and_tasks() -> None:
    m = parse_minutes(split_paragraphs(OLD_LAYOUT), file="2019.txt")
    assert (m.date.value, m.place.value, m.chair.value, m.secretary.value) == (
        date(2019, 3, 15),
        "Stadshuset, Skövde",
        "Åsa Öberg",
        "Per Ek",
    )
    assert m.chair.source.paragraph == 2  # type: ignore[union-attr]
    assert people(m) == [
        ("Åsa Öberg", "Skövde", (), 3, False),
        ("Per Ek", "Vara", (), 3, False),
        ("Lena Holm", "Falköping", (), 3, False),
        ("Karl Berg", "Essunga", (), 3, False),
    ]
    assert [h.title for h in m.agenda] == ["Incheckning", "Fullföljda studier", "Uppdrag", "Kommande möten"]
    # The whole paragraph is the decision, without its label.
    assert [(d.text, d.source.paragraph) for d in m.decisions] == [
        ("Nätverket ställer sig bakom förslaget om gemensamma nyckeltal. Åsa förmedlar beslutet till skolchefsnätverket.", 8),
        ("Mötena hålls på fredagar.", 9),
    ]
    lena, per, karl, asa = (OwnerRef("person", n) for n in ("Lena Holm", "Per Ek", "Karl Berg", "Åsa Öberg"))
    assert [(a.owners, a.text, a.source.paragraph) for a in m.actions] == [
        ((lena,), "Lena får i uppdrag att sammanställa kommunernas siffror till nästa möte.", 7),
        ((asa,), "Åsa förmedlar beslutet till skolchefsnätverket.", 8),
        ((per, karl), "Per och Karl förankrar förslaget i sina kommuner.", 11),
        ((karl,), "Karl mailar ut presentationen.", 11),
        ((per,), "Per Ek kommer att kontakta Skolverket.", 11),
        ((lena,), "Lena Holm ansvarar för nästa incheckning.", 11),
        ((OwnerRef("all", "var och en"),), "Var och en läser rapporten till nästa gång.", 11),
        ((OwnerRef("all", "alla"),), "Alla tar med sina siffror.", 11),
        ((OwnerRef("municipality", "Tibro"),), "Tibro ansvarar för fikat.", 11),
    ]
    assert not any(a.uncertain for a in m.actions)
    # Year-less dates fall on or after the minutes' date: 10 januari is in the next year.
    assert planned(m.meetings) == [
        (date(2019, 4, 12), time(9), time(12), "Stadshuset, Skövde", 13, False),
        (date(2019, 5, 24), time(13), None, "digitalt", 13, False),
        (date(2020, 1, 10), time(8, 30), time(12), None, 13, False),
    ]
    assert [(p.day, p.text) for p in m.other_events] == [
        (date(2019, 4, 3), "Skolledardagen 3 april är inte ett nätverksmöte."),
        (date(2019, 4, 26), "Regional konferens 26/4."),
    ]


@pytest.mark.parametrize(
    ("heading", "expected", "uncertain"),
    [
        ("Protokoll SKIS 2019-03-15", date(2019, 3, 15), False),
        ("2023-05-26", date(2023, 5, 26), False),
        ("Natverk Skaraborg 24-05-24", date(2024, 5, 24), False),  # ÅÅ-MM-DD and DD-MM-ÅÅ agree
        ("Nätverksträff 24-05-10", date(2024, 5, 10), True),  # could be 10 May 2024 or 24 May 2010
        ("Minnesanteckningar 15 mars 2019", date(2019, 3, 15), False),
        ("Protokoll SKIS 2019-03-14", date(2019, 3, 14), True),  # a Thursday: the network meets on Fridays
        ("Protokoll SKIS 2019-02-30", None, True),
        ("MINNESANTECKNINGAR", None, True),
    ],
)
def test_heading_dates(heading: str, expected: date | None, uncertain: bool) -> None:
    m = parse_minutes([heading, "Närvarande: Åsa Öberg Skövde"], file="x.txt")
    assert (m.date.value, m.date.uncertain) == (expected, uncertain)


@pytest.mark.parametrize(
    ("heading", "place", "uncertain"),
    [
        ("Protokoll SKIS 2019-03-15, Stadshuset Skövde", "Stadshuset Skövde", False),
        ("SKIS 2019-03-15 kl. 9-12 i Regionens hus", "Regionens hus", True),  # no known place in it: said so
        ("Nätverksträff 15 mars 2019 (digitalt)", "(digitalt)", False),
        ("Protokoll SKIS 2019-03-15", None, False),
    ],
)
def test_place_from_the_heading(heading: str, place: str | None, uncertain: bool) -> None:
    m = parse_minutes([heading, "Närvarande: Åsa Öberg Skövde"], file="x.txt")
    assert (m.place.value, m.place.uncertain) == (place, uncertain)


def test_a_place_line_wins_over_a_guess_from_the_heading() -> None:
    m = parse_minutes(["SKIS 2019-03-15 i Regionens hus", "Plats: Regionens hus, Skövde", "Närvarande: Åsa Öberg Skövde"], file="x.txt")
    assert (m.place.value, m.place.uncertain, m.place.source.paragraph) == ("Regionens hus, Skövde", False, 2)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Närvarande: Åsa Öberg, rektor, Skövde", [("Åsa Öberg", "Skövde", ("rektor",), False)]),
        ("Deltagare: Åsa Öberg Skövde och Per Ek Kommunalförbundet", [("Åsa Öberg", "Skövde", (), False), ("Per Ek", KF, (), False)]),
        ("Närvarande: Åsa Öberg, Per Ek", [("Åsa Öberg", None, (), True), ("Per Ek", None, (), True)]),
        ("NÄRVARANDE: Åsa Öberg, Skovde", [("Åsa Öberg", "Skövde", (), False)]),
        # Someone from outside the municipalities is kept with what the minutes say, marked.
        ("Närvarande: Tim Andersson, VGR\nÅsa Öberg, Skövde", [("Tim Andersson", "VGR", (), True), ("Åsa Öberg", "Skövde", (), False)]),
        ("Deltagare: Tim Andersson, VGR, Anna Gustafsson, Götene", [("Tim Andersson", "VGR", (), True), ("Anna Gustafsson", "Götene", (), False)]),
    ],
)
def test_attendance_forms(text: str, expected: list[tuple]) -> None:  # type: ignore[type-arg]
    m = parse_minutes(["Protokoll SKIS 2019-03-15", text], file="x.txt")
    assert [(a.name, a.organisation, a.roles, a.uncertain) for a in m.attendees] == expected


def test_a_blank_name_in_the_register_is_ignored() -> None:
    m = parse_minutes(["2019-03-15", "Närvarande: Per Ek Vara", "Anna mailar ut bilderna."], file="x.txt", register=["", "Anna Berg"])
    assert [a.owners for a in m.actions] == [(OwnerRef("person", "Anna Berg"),)]


def test_a_first_name_shared_by_two_people_is_uncertain() -> None:
    m = parse_minutes(
        ["2019-03-15", "Närvarande:", "Anna Ek, Skövde\nAnna Berg, Vara", "Anna mailar ut bilderna."], file="x.txt"
    )
    assert [(a.owners, a.notes) for a in m.actions] == [
        ((OwnerRef("person", "Anna"),), ("Anna kan vara Anna Ek eller Anna Berg",))
    ]


def test_text_helpers() -> None:
    assert unwrap("Emma kommer att\njobba med detta.\nNästa rad") == ["Emma kommer att jobba med detta.", "Nästa rad"]
    assert sentences("- Ett. Två saker\ne Tre") == ["Ett.", "Två saker", "Tre"]
    assert heading_title("2. Fullföljda studier:") == "Fullföljda studier"


PIECES = [
    "Närvarande:", "Deltagare:", "Beslut:", "Ordförande:", "Plats:", "Protokoll SKIS", "2019-03-15", "24-05-24",
    "31/2", "19/6", "8 november", "kl. 25", "9 - 15", "(digitalt)", "(", ")", "Anna", "Anna Ek", "Skövde",
    "Kommunalförbundet", "och", ",", ".", "\n", "\n\n", "- ", "e ", "Var och en", "Alla", "mailar", "får i uppdrag att",
    "kommer att", "detta", "Nästa träff", "konferens", "rektor", "Gétene", "6kad", "&r", "1", "Marie-", "?", ":",
]  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.lists(st.sampled_from(["Anna Ek", "", " ", "Per"]), max_size=3))
def test_any_text_parses_without_crashing(pieces: list[str], register: list[str]) -> None:
    text = " ".join(pieces)
    paragraphs, repairs = repair_paragraphs(split_paragraphs(text))
    parsed = parse_minutes(paragraphs, file="x.txt", register=register, repairs=repairs)
    for record in (*parsed.attendees, *parsed.decisions, *parsed.actions, *parsed.meetings, *parsed.other_events):
        assert 1 <= record.source.paragraph <= len(paragraphs)
