"""Messages for the public archive, the yearly report and the member list (see bot/messages/__init__.py)."""

SV: dict[str, str] = {
    # The public archive (skis-bot publish, /arkiv/)
    "publishing.archive_title": "Minnesanteckningar – {network}",
    "publishing.archive_intro": (
        "Här finns nätverkets godkända minnesanteckningar, de senaste först. Varje möte finns också "
        "som Word-fil och som utskriftsvänlig sida (skriv ut som PDF)."
    ),
    "publishing.archive_empty": "Inga minnesanteckningar är godkända ännu.",
    "publishing.networks_title": "Nätverkens minnesanteckningar",
    "publishing.networks_intro": "Välj ett nätverk för att läsa dess godkända minnesanteckningar.",
    "publishing.skip_link": "Hoppa till innehållet",
    "publishing.breadcrumb_label": "Du är här",
    "publishing.all_minutes": "Alla minnesanteckningar",
    "publishing.all_networks": "Alla nätverk",
    "publishing.corrected_mark": "(rättad)",
    "publishing.year_heading": "{year}",
    "publishing.page_title": "Minnesanteckningar {date} – {network}",
    "publishing.correction_notice": "Rättelse (version {version}): {reason}",
    "publishing.superseded_notice": "Det här är version {version}. Den har ersatts av version {latest} (rättelse).",
    "publishing.read_latest": "Läs den gällande versionen",
    "publishing.versions_heading": "Versioner",
    "publishing.version_link": "Version {version}",
    "publishing.version_current": "gällande",
    "publishing.version_superseded": "ersatt",
    "publishing.version_confirmed": "godkänd {date}",
    "publishing.version_reason": "rättelse: {reason}",
    "publishing.downloads_heading": "Ladda ner",
    "publishing.download_docx": "Word-fil (.docx)",
    "publishing.download_print": "Utskriftsvänlig sida (skriv ut som PDF)",
    "publishing.feed_link": "Prenumerera på nya minnesanteckningar (Atom-flöde)",
    "publishing.footer": "Publicerat av nätverkets Teams-bot. Endast godkända minnesanteckningar visas här.",
    "publishing.feed_title": "Minnesanteckningar – {network}",
    "publishing.feed_entry_title": "Minnesanteckningar {date}",
    "publishing.feed_entry_corrected": "Minnesanteckningar {date} – rättelse (version {version})",
    # The member list (skis-bot roster, medlemslista)
    "publishing.roster_title": "Medlemslista – {network}",
    "publishing.roster_col_name": "Namn",
    "publishing.roster_col_municipality": "Kommun",
    "publishing.roster_col_role": "Roll",
    "publishing.roster_col_email": "E-post",
    "publishing.roster_col_date": "Datum",
    "publishing.roster_col_time": "Tid",
    "publishing.roster_col_place": "Plats",
    "publishing.roster_sheet_members": "Medlemmar",
    "publishing.roster_sheet_meetings": "Nätverksträffar {year}",
    "publishing.roster_meetings_heading": "Nätverksträffar {year}",
    "publishing.roster_no_meetings": "Inga möten är inlagda för {year} ännu. Lägg in dem med *nytt möte*.",
    "publishing.roster_send_hint": (
        "Skicka listan och datumen till {address} (kopiera texten till ett mejl). "
        "Ett annat år: *medlemslista {year}*."
    ),
    "publishing.roster_only_presidium": (
        "Medlemslistan med e-postadresser är för presidiet och ordföranden. "
        "Alla kan se vilka som är med med *medlemmar*."
    ),
    "publishing.year_usage": "Skriv ett år med fyra siffror, till exempel *{command} {year}*.",
    # The yearly report (skis-bot report, årsrapport)
    "publishing.report_title": "Årsrapport {year} – {network}",
    "publishing.report_meetings_held": "{count} möten hölls {year}.",
    "publishing.report_one_meeting_held": "1 möte hölls {year}.",
    "publishing.report_enough": "Minst {min} möten: ja.",
    "publishing.report_not_enough": "Minst {min} möten: nej, uppdraget säger minst {min} möten per år.",
    "publishing.report_all_fridays": "Alla möten var på fredagar.",
    "publishing.report_not_fridays": "Inte på en fredag: {dates}.",
    "publishing.report_planned": "{count} möten till är inplanerade senare i år.",
    "publishing.report_never": "Aldrig företrädda: {names}.",
    "publishing.report_all_represented": "Alla kommuner var företrädda minst en gång.",
    "publishing.report_meetings_heading": "Möten",
    "publishing.report_no_meetings": "Inga möten hölls {year}.",
    "publishing.report_col_friday": "Fredag",
    "publishing.report_col_represented": "Kommuner på plats",
    "publishing.report_col_total": "Totalt",
    "publishing.report_yes": "ja",
    "publishing.report_no": "nej",
    "publishing.report_attendance_heading": "Närvaro per kommun",
    "publishing.report_grid_legend": "X: kommunen var företrädd på mötet (enligt närvaron sekreteraren förde, annars anmälningarna).",
    "publishing.report_grid_alt": "Rutnät med kommunerna på raderna och mötena i kolumnerna; fylld ruta betyder företrädd. Aldrig företrädda: {never}.",
    "publishing.report_decisions_heading": "Beslut",
    "publishing.report_items_heading": "Uppgifter",
    "publishing.report_state_done": "Klara",
    "publishing.report_state_open": "Pågående",
    "publishing.report_state_overdue": "Försenade",
    "publishing.report_item_label": "Uppgift",
    "publishing.report_none": "Inga.",
    "publishing.report_mandate_heading": "Uppdragen",
    "publishing.report_mandate_hint": "Beslut och uppgifter märks med ett uppdrag genom att skriva till exempel #uppdrag2 i texten.",
    "publishing.report_mandate_point": "Uppdrag {number}",
    "publishing.report_mandate_nothing": "Inget är märkt med #uppdrag{number} i år.",
    "publishing.report_mandate_counts": "{decisions} beslut, {items} uppgifter",
    "publishing.report_chat_hint": (
        "Hela rapporten med rutnätet som bild finns som Word-fil: be den som sköter boten köra "
        "*skis-bot report --year {year} --format docx*. Ett annat år: *årsrapport {year}* med det året."
    ),
    "publishing.mandate_title": "**Nätverkets uppdrag** (märk beslut och uppgifter med taggen i parentes):",
    "publishing.mandate_help": (
        "Ändra ett uppdrag med *årsrapport uppdrag 2 <ny text>*, lägg till ett med nästa nummer, "
        "ta bort ett med *årsrapport uppdrag 3 -*."
    ),
    "publishing.mandate_usage": (
        "Skriv *årsrapport uppdrag <nr> <text>*, till exempel *årsrapport uppdrag 2 Verka för jämförbara data*. "
        "Numret är 1 till {next} och texten högst {max} tecken; *årsrapport uppdrag <nr> -* tar bort ett uppdrag. "
        "*årsrapport uppdrag* visar dem."
    ),
    "publishing.mandate_saved": (
        "Uppdrag {number} är sparat. Nätverket har nu {count} uppdrag; *årsrapport uppdrag* visar dem "
        "och *årsrapport* visar vad som är gjort för vart och ett."
    ),
    "publishing.report_only_presidium": "Årsrapporten är för presidiet och ordföranden. Fråga någon av dem, eller se *beslutslogg* och *uppgifter*.",
    # The archive's own 404 page (bot/features/publishing.py), a whole HTML document.
    "publishing.archive_not_found_page": (
        '<!DOCTYPE html>\n<html lang="sv"><head><meta charset="utf-8"><title>Sidan finns inte</title></head>'
        "<body><main><h1>Sidan finns inte</h1><p>Här finns bara godkända minnesanteckningar. "
        'Gå till <a href="{prefix}/">arkivets första sida</a>.</p></main></body></html>\n'
    ),
}

EN: dict[str, str] = {}
