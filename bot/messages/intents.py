"""Messages for everyday phrases that are not commands (bot/rules/intents.py, bot/features/intents.py).

A guess that would change data never saves anything: its reply gives the exact command to type
and says that nothing has been changed yet.
"""

SV: dict[str, str] = {
    # Read-only intents ------------------------------------------------------------------------
    "intents.greeting": (
        "Hej {name}! Skriv **möten** för att se när vi ses nästa gång, **dagordning** för nästa mötes punkter "
        "eller **hjälp** för allt jag kan."
    ),
    "intents.greeting_nameless": (
        "Hej! Skriv **möten** för att se när vi ses nästa gång, **dagordning** för nästa mötes punkter "
        "eller **hjälp** för allt jag kan."
    ),
    "intents.thanks": "Varsågod! Skriv **hjälp** om du vill göra något mer.",
    "intents.role_holders": "{role} är {names}.",
    "intents.role_presidium": "I presidiet sitter {names}.",
    "intents.role_none": "Ingen har rollen {role} i medlemslistan än.",
    "intents.role_label.ordförande": "Ordförande",
    "intents.role_label.sekreterare": "Sekreterare",
    "intents.role_word.ordförande": "ordförande",
    "intents.role_word.sekreterare": "sekreterare",
    "intents.role_word.presidium": "presidium",
    "intents.role_change": (
        "Ordföranden eller presidiet ändrar roller med till exempel *roll @Namn {role}*. "
        "Skriv **medlemmar** för att se alla medlemmar och deras roller."
    ),
    "intents.and": "och",
    # Guesses that would change data -----------------------------------------------------------
    "intents.move": "Menade du **{command}**? Skriv det, så flyttar jag mötet {when}. Jag har inte ändrat något än.",
    "intents.move_no_target": (
        "Vill du flytta mötet {when}? Skriv **flytta möte {meeting} till** och den nya dagen, tiden eller platsen, "
        "till exempel *flytta möte {meeting} till {example}*. Jag har inte ändrat något än."
    ),
    "intents.plan": "Menade du **{command}**? Skriv det, så lägger jag in mötet. Jag har inte ändrat något än.",
    "intents.absent": "Menade du **{command}**? Skriv det, så anmäler jag att du inte kommer {when}. Jag har inte sparat något än.",
    "intents.substitute": (
        "Menade du **{command}**? Skriv det, så anmäler jag att {substitute} kommer i ditt ställe {when}. "
        "Jag har inte sparat något än."
    ),
    "intents.needs_role": "Bara {roles} kan göra det, så be någon av dem om du inte har den rollen själv.",
    "intents.no_meeting": (
        "Det finns inget planerat möte än, så jag har inte ändrat något. Skriv **möten** för att se kalendern, "
        "eller be presidiet lägga in ett möte med **nytt möte**."
    ),
    "intents.meeting_not_found": (
        "Jag hittar inget kommande möte som passar ”{text}”, så jag har inte ändrat något. "
        "Skriv **möten** för att se vilka möten som är planerade."
    ),
    # Near-miss command words ------------------------------------------------------------------
    "intents.suggest": "Jag förstod inte riktigt ”{text}”. Menade du {options}? Skriv det, eller **hjälp** för att se allt jag kan.",
}
