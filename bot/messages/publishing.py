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
}

EN: dict[str, str] = {}
