"""Messages for importing earlier minutes in Teams (`importera`, see bot/features/importing.py)."""

SV: dict[str, str] = {
    "importing.only_personal": (
        "Skicka de tidigare minnesanteckningarna till mig i vår chatt (1:1): skriv **importera** och bifoga "
        "filen (.docx, .pdf eller .txt) i samma meddelande."
    ),
    "importing.not_allowed": "Bara sekreteraren, ordföranden och presidiet kan importera minnesanteckningar.",
    "importing.no_file": (
        "Jag hittar ingen fil i meddelandet. Skriv **importera** och bifoga minnesanteckningarna (.docx, .pdf eller "
        ".txt) i samma meddelande. Har protokollet inget datum i rubriken: **importera 2024-09-20**."
    ),
    "importing.bad_date": "Jag förstår inte datumet {date}. Skriv det som 2024-09-20, till exempel **importera 2024-09-20**.",
    "importing.download_failed": "Jag kunde inte hämta filen {name}. Skicka den igen med **importera**.",
    "importing.bad_host": "Filen {name} ligger inte i Teams/OneDrive, så jag hämtar den inte. Bifoga filen direkt i chatten.",
    "importing.too_big": "Filen {name} är för stor (högst {limit} MB). Dela upp den eller spara den som .txt.",
    "importing.unreadable": "{problem}. Skicka en annan fil med **importera**.",
    "importing.changed": "Filen {name} har ändrats sedan du såg förhandsvisningen. Skicka den igen med **importera**.",
    "importing.card_title": "Import av {name}",
    "importing.card_intro": (
        "Läs igenom vad jag hittade. Det jag är osäker på är markerat **OSÄKERT**. Stämmer något inte: rätta "
        "originalfilen och skicka den igen. Annars: tryck **Importera**."
    ),
    "importing.date_label": "Mötets datum",
    "importing.date_missing": "Protokollet har inget datum i rubriken: fyll i mötets datum innan du importerar.",
    "importing.attendees": "Närvarande ({count})",
    "importing.decisions": "Beslut ({count})",
    "importing.actions": "Föreslagna uppgifter ({count})",
    "importing.meetings": "Planerade nätverksmöten ({count})",
    "importing.other_events": "Andra händelser, sparas inte som möten ({count})",
    "importing.repairs": "Rättade ord från skanningen ({count})",
    "importing.more": "… och {count} till (alla syns med skis-bot import-minutes --dry-run)",
    "importing.uncertain": "OSÄKERT: {why}",
    "importing.paragraph": "stycke {n}",
    "importing.confirm": "Importera",
    "importing.summary": "Förhandsvisning av import: {name}",
    "importing.done": (
        "Klart! Mötet {date} är importerat: {present} närvarande, {decisions} beslut, {actions} föreslagna uppgifter "
        "och {meetings} planerade möten. Skriv **beslutslogg** för att se besluten."
    ),
    "importing.already": "{name} är redan importerad (mötet {date}). Ingenting ändrades.",
    "importing.failed": "{problem}",
}
