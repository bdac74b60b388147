"""The everyday-phrase matcher and the command suggestions (bot/rules/intents.py), as tables."""

from __future__ import annotations

import pytest

from bot.routing import COMMANDS, parse_command
from bot.rules import intents
from bot.rules.intents import Intent, match, suggest

READ_ONLY = [
    # Greetings
    ("hej", Intent(intents.GREETING)),
    ("Hej!", Intent(intents.GREETING)),
    ("HEJSAN", Intent(intents.GREETING)),
    ("hej boten", Intent(intents.GREETING)),
    ("Hallå", Intent(intents.GREETING)),
    ("halla", Intent(intents.GREETING)),
    ("god morgon!", Intent(intents.GREETING)),
    ("tjena", Intent(intents.GREETING)),
    # Thanks
    ("tack!", Intent(intents.THANKS)),
    ("Tack så mycket", Intent(intents.THANKS)),
    ("tack sa mycket!", Intent(intents.THANKS)),
    ("tusen tack", Intent(intents.THANKS)),
    ("tack för hjälpen", Intent(intents.THANKS)),
    ("Tackar!", Intent(intents.THANKS)),
    # What can you do
    ("vad kan du?", Intent(intents.HELP)),
    ("Vad kan du göra", Intent(intents.HELP)),
    ("vad kan du gora", Intent(intents.HELP)),
    ("hur funkar det?", Intent(intents.HELP)),
    ("Hur fungerar boten", Intent(intents.HELP)),
    ("vilka kommandon finns?", Intent(intents.HELP)),
    ("hej, vad kan du?", Intent(intents.HELP)),
    # The next meeting
    ("när är nästa möte?", Intent(intents.NEXT_MEETING)),
    ("nar ar nasta mote", Intent(intents.NEXT_MEETING)),
    ("NÄSTA MÖTE", Intent(intents.NEXT_MEETING)),
    ("nästa möte", Intent(intents.NEXT_MEETING)),
    ("nästa möte?", Intent(intents.NEXT_MEETING)),
    ("När ses vi?", Intent(intents.NEXT_MEETING)),
    ("när träffas vi nästa gång", Intent(intents.NEXT_MEETING)),
    ("när är mötet?", Intent(intents.NEXT_MEETING)),
    ("vilka möten har vi", Intent(intents.NEXT_MEETING)),
    ("tack! när är nästa möte?", Intent(intents.NEXT_MEETING)),
    ("hej! när är nästa möte", Intent(intents.NEXT_MEETING)),
    ("nästa möte är 4 december?", Intent(intents.NEXT_MEETING)),
    ("nästa möte blir kul", Intent(intents.NEXT_MEETING)),
    ("var är mötet?", Intent(intents.NEXT_MEETING)),
    ("var ses vi på fredag", Intent(intents.NEXT_MEETING)),
    # Who is coming
    ("vem kommer på fredag?", Intent(intents.WHO_COMES)),
    ("vilka har anmält sig?", Intent(intents.WHO_COMES)),
    ("hur många kommer?", Intent(intents.WHO_COMES)),
    # The agenda
    ("visa dagordningen", Intent(intents.AGENDA)),
    ("Visa dagordningen!", Intent(intents.AGENDA)),
    ("vad står på dagordningen?", Intent(intents.AGENDA)),
    ("vad star pa dagordnigen", Intent(intents.AGENDA)),
    ("kan jag få se agendan", Intent(intents.AGENDA)),
    ("vad ska vi prata om på fredag?", Intent(intents.AGENDA)),
    # Who holds a role
    ("vem är ordförande?", Intent(intents.WHO_ROLE, role="ordförande")),
    ("vem ar ordforande", Intent(intents.WHO_ROLE, role="ordförande")),
    ("Vem är ordförnade?", Intent(intents.WHO_ROLE, role="ordförande")),
    ("vem är vår ordförande", Intent(intents.WHO_ROLE, role="ordförande")),
    ("vem leder mötet?", Intent(intents.WHO_ROLE, role="ordförande")),
    ("vem är sekreterare?", Intent(intents.WHO_ROLE, role="sekreterare")),
    ("vem ar sekreteraren", Intent(intents.WHO_ROLE, role="sekreterare")),
    ("vem skriver protokollet?", Intent(intents.WHO_ROLE, role="sekreterare")),
    ("vem skriver minnesanteckningarna", Intent(intents.WHO_ROLE, role="sekreterare")),
    ("vilka sitter i presidiet?", Intent(intents.WHO_ROLE, role="presidium")),
    ("Vilka är presidiet", Intent(intents.WHO_ROLE, role="presidium")),
    ("vem ingår i presidiet", Intent(intents.WHO_ROLE, role="presidium")),
]

CHANGING = [
    # Moving a meeting, in natural word order
    ("mötet flyttas till 18 december", Intent(intents.MOVE_MEETING, target="18 december")),
    ("Mötet flyttas till 18 december.", Intent(intents.MOVE_MEETING, target="18 december")),
    ("motet flyttas till 18 december", Intent(intents.MOVE_MEETING, target="18 december")),
    ("flytta nästa möte till 18 december", Intent(intents.MOVE_MEETING, target="18 december")),
    ("nästa möte flyttas till fredag 18 december kl 13", Intent(intents.MOVE_MEETING, target="fredag 18 december kl 13")),
    ("kan vi flytta mötet den 4 december till 11 december?", Intent(intents.MOVE_MEETING, meeting="4 december", target="11 december")),
    ("mötet 4 december flyttas till Skövde stadshus", Intent(intents.MOVE_MEETING, meeting="4 december", target="Skövde stadshus")),
    ("flytta mötet från 4 december till 11 december", Intent(intents.MOVE_MEETING, meeting="4 december", target="11 december")),
    ("hej, kan du flytta mötet till 11 december", Intent(intents.MOVE_MEETING, target="11 december")),
    ("vi måste flytta mötet", Intent(intents.MOVE_MEETING)),
    # Planning a meeting
    ("nästa möte blir fredag 12 mars kl 9 i Skara", Intent(intents.PLAN_MEETING, target="fredag 12 mars kl 9 i Skara")),
    ("Nasta mote blir den 12 mars kl 9-12", Intent(intents.PLAN_MEETING, target="12 mars kl 9-12")),
    ("boka ett möte 12 mars kl 13-15 Regionens hus", Intent(intents.PLAN_MEETING, target="12 mars kl 13-15 Regionens hus")),
    ("planera nytt möte fredag 12 mars kl 9", Intent(intents.PLAN_MEETING, target="fredag 12 mars kl 9")),
    # Absence, with or without a substitute
    ("jag kommer inte på fredag, Anna kommer istället", Intent(intents.ABSENCE, meeting="fredag", substitute="Anna")),
    ("jag kan inte komma på fredag, Anna Svensson kommer istället", Intent(intents.ABSENCE, meeting="fredag", substitute="Anna Svensson")),
    ("Jag är sjuk, Per kommer i mitt ställe", Intent(intents.ABSENCE, substitute="Per")),
    ("jag ar sjuk sa Per kommer i stallet", Intent(intents.ABSENCE, substitute="Per")),
    ("Anna ersätter mig på fredag", Intent(intents.ABSENCE, meeting="fredag", substitute="Anna")),
    ("jag har förhinder den 4 december men Pernilla kommer istället", Intent(intents.ABSENCE, meeting="4 december", substitute="Pernilla")),
    ("ersättaren blir Pernilla Bergman", Intent(intents.ABSENCE, substitute="Pernilla Bergman")),
    ("jag kan inte komma den 4 december", Intent(intents.ABSENCE, meeting="4 december")),
    ("tyvärr kan jag inte komma", None),  # word order the matcher does not read: suggestions instead
    ("jag kan inte komma, någon annan kommer istället", Intent(intents.ABSENCE)),
]

NOTHING = ["blabla", "hur mår du", "Anna kommer inte", "mötne", "dagordnig", "ok", "123"]


@pytest.mark.parametrize(("text", "expected"), READ_ONLY + CHANGING)
def test_everyday_phrases(text, expected):
    assert match(text) == expected


@pytest.mark.parametrize("text", NOTHING)
def test_no_intent(text):
    assert match(text) is None


def test_only_data_changing_intents_are_marked():
    assert not any(i.changes_data for _t, i in READ_ONLY)
    assert all(i is None or i.changes_data for _t, i in CHANGING)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mötne", ["möten"]),
        ("moten?", ["möten"]),
        ("visa moten", ["möten"]),
        ("dagordnig", ["dagordning"]),
        ("dagordningg", ["dagordning"]),
        ("inchekningar", ["incheckningar", "incheckning"]),
        ("incheckningr", ["incheckningar", "incheckning"]),
        ("vilka är narvarande", ["närvarande"]),
        ("protokol", ["protokoll"]),
        ("besluttslogg", ["beslutslogg"]),
        ("påminelser", ["påminnelser"]),
        ("medlemar", ["medlemmar"]),
        ("utchekning", ["utcheckning", "utcheckningar"]),
        ("nyt möte", ["nytt möte", "möten"]),
        ("visa besluten", ["beslut"]),
        ("kan du visa mina uppgifter", ["mina uppgifter", "uppgifter"]),
        ("hur många ångrar sig", ["ångra"]),
        ("hur många", []),  # not "ångra": a typo rarely hits the first letter
        ("blabla", []),
        ("hur mår du", []),
        ("", []),
    ],
)
def test_suggestions(text, expected):
    assert suggest(text) == expected


def test_suggestions_are_commands_people_can_type():
    for text in ("mötne", "dagordnig", "inchekningar", "medlemar", "nyt möte"):
        for word in suggest(text):
            command = parse_command(word)
            assert command is not None and COMMANDS[command.name][0] == word
