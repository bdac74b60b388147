"""escape(): what people typed is shown as typed, never as markup."""

from __future__ import annotations

import pytest

from bot.cards import escape


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("Hej. Skövde-Tibro (och Hjo)!", "Hej. Skövde-Tibro (och Hjo)!"),  # ordinary punctuation untouched
        ("**fet** _kursiv_", r"\*\*fet\*\* \_kursiv\_"),
        ("[länk](http://x)", r"\[länk\](http://x)"),
        ("<b>html</b> &amp;", r"\<b\>html\</b\> \&amp;"),
        ("`kod` ~x~ a|b", r"\`kod\` \~x\~ a\|b"),
        ("a\\b", "a\\\\b"),
        # A list or heading marker gets an unseen zero-width space before it: cards show backslashes.
        ("- ett\n- två", "\u200b- ett\n\n\u200b- två"),
        ("1. ett\n2) två", "\u200b1. ett\n\n\u200b2) två"),
        ("# rubrik", "\u200b# rubrik"),
        ("  + indrag", "  \u200b+ indrag"),
        # No marker without a space after it: times, signs and tags stay as typed.
        ("21.45", "21.45"),
        ("-5 grader", "-5 grader"),
        ("#uppdrag1 Skövde", "#uppdrag1 Skövde"),
        ("rad ett\r\nrad två\rrad tre", "rad ett\n\nrad två\n\nrad tre"),
        ("{{DATE(2026-12-04T08:00:00Z, SHORT)}}", "{\u200b{DATE(2026-12-04T08:00:00Z, SHORT)}}"),
        ("Åsa 🎉 ÄÖ", "Åsa 🎉 ÄÖ"),
        ("", ""),
    ],
)
def test_escape(typed: str, shown: str) -> None:
    assert escape(typed) == shown


def test_plain_text_drops_markdown_marks_and_escapes() -> None:
    from bot.cards import plain_text

    assert plain_text("Skriv **kommer inte** om du ändrar dig, eller *kommun Skövde*.") == (
        "Skriv kommer inte om du ändrar dig, eller kommun Skövde."
    )
    assert plain_text("Se [sidan](https://skaraborg.se/skis).") == "Se sidan (https://skaraborg.se/skis)."
    typed = "Mitt *svar*: 2*3 = 6, a_b, [x](y), <b>, {{DATE(x)}}\n- punkt"
    assert plain_text(escape(typed)) == typed.replace("\n", "\n\n")  # what people typed comes back as typed
    assert plain_text("3 * 4 * 5") == "3 * 4 * 5"
