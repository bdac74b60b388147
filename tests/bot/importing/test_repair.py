"""OCR repair of scanned minutes: look-alikes of å, ä and ö repaired against the municipalities,
the member register and a Swedish word list; every repair reported; clean text left alone."""

from __future__ import annotations

import pytest

from bot.importing.repair import Repair, Repairer, looks_scanned, repair_paragraphs


@pytest.mark.parametrize(
    ("scanned", "repaired", "uncertain"),
    [
        ("Nérvarande", "Närvarande", False),
        ("Gétene", "Götene", False),  # a municipality
        ("Téreboda", "Töreboda", False),
        ("Kommunalforbund", "Kommunalförbund", False),  # the coordinating body
        ("Kommunalférbund", "Kommunalförbund", False),
        ("6kad", "ökad", False),
        ("&r", "är", False),
        ("f4", "få", False),
        ("Gver", "över", False),  # a scanned G for Ö is not a capital
        ("stiarka", "stärka", False),  # "ia" for ä
        ("berdttar", "berättar", False),
        ("aterkommer", "återkommer", False),
        ("ar", "är", True),  # may as well be "år": repaired, and said to be unsure
    ],
)
def test_words(scanned: str, repaired: str, uncertain: bool) -> None:
    found = Repairer().word(scanned)
    assert found is not None and found[:2] == (repaired, uncertain)


@pytest.mark.parametrize("word", ["Skolverket", "var", "vara", "Lysio", "tester", "SPSM", "Hjo", "2024"])
def test_words_that_stay(word: str) -> None:
    assert Repairer().word(word) is None


def test_a_name_is_repaired_against_the_register() -> None:
    assert Repairer().word("Zandér") is None  # not a known word or name: kept as scanned
    assert Repairer(["Elin Zandér"]).word("Zandor") is None  # no look-alike leads there
    assert Repairer(["Jonas Bergström"]).word("Bergstrom") == ("Bergström", False, None)


def test_every_repair_is_reported_with_its_paragraph() -> None:
    paragraphs = ["Natverk Skaraborg 24-05-24", "Nérvarande: Pernilla Bergman Gétene, Louise Belsing Téreboda", "Anvdnda 1 sitt arbete, ocksé."]
    fixed, repairs = repair_paragraphs(paragraphs)
    assert fixed == (
        "Nätverk Skaraborg 24-05-24",
        "Närvarande: Pernilla Bergman Götene, Louise Belsing Töreboda",
        "Använda i sitt arbete, också.",
    )
    assert repairs == [
        Repair(1, "Natverk", "Nätverk"),
        Repair(2, "Nérvarande", "Närvarande"),
        Repair(2, "Gétene", "Götene"),
        Repair(2, "Téreboda", "Töreboda"),
        Repair(3, "Anvdnda", "Använda"),
        Repair(3, "1", "i"),  # a lone 1 between words is the word "i"
        Repair(3, "ocksé", "också"),
    ]


def test_clean_text_is_never_touched() -> None:
    clean = ["Protokoll SKIS 2019-03-15", "Vi ses på idé-mötet på caféet i Skövde, for the record.", "Trygghet & Studiero 4-årig"]
    assert not looks_scanned(clean)
    assert repair_paragraphs(clean) == (tuple(clean), [])
