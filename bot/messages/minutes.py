"""Messages for the minutes area (see bot/messages/__init__.py)."""

SV: dict[str, str] = {
    # The document (card, Markdown, HTML, Word)
    "minutes.doc_title": "Minnesanteckningar – {network}",
    "minutes.doc_time": "kl. {time}",
    "minutes.doc_substitute_for": "(ersättare för {name})",
    # Minutes drafted before due texts carried their own "senast"/"till" stored a bare date or
    # "nästa möte (…)"; their confirmed versions keep it, and get the word when shown.
    "minutes.doc_due": "senast {due}",
    "minutes.doc_due_next": "till {due}",
    "minutes.doc_due_next_word": "nästa möte",
    "minutes.doc_done": "(klar)",
    "minutes.doc_item_heading": "{number}. {title}",
    "minutes.doc_decision_label": "Beslut",
    "minutes.doc_question_label": "Fråga",
    "minutes.doc_draft_mark": "UTKAST – ännu inte godkänt av sekreteraren",
    "minutes.doc_correction_draft_mark": "UTKAST – rättelse av version {version}, ännu inte godkänd (version {version} gäller tills vidare)",
    "minutes.doc_superseded_line": "Ersatt av version {version} (rättelse). Publicera den senaste versionen.",
    "minutes.doc_footer": "{title}, {date}",
    "minutes.doc_page": "sida {page} av {pages}",
    "minutes.doc_confirmed_line": "Godkänt (version {version}) av {name}, {at}.",
    "minutes.doc_correction_line": "Rättelse: {reason}",
    "minutes.doc_cosigned_line": "Justerat av {name}, {at}.",
    "minutes.doc_awaiting_cosign_line": "Väntar på justering av ordföranden.",
    "minutes.doc_hash_line": "Kontrollsumma (SHA-256): {hash}",
    "minutes.card_nobody_present_notice": "Ingen är antecknad som närvarande, så protokollet är inte godkänt. "
    "Skriv **närvarande** och namnen, till exempel **närvarande Anna, Peter, Susanne Sandgren**, och tryck sedan "
    "**Godkänn protokoll** igen. Det du har skrivit är sparat.",
    "minutes.doc_chair_line": "Ordförande: {names}",
    "minutes.doc_secretary_line": "Sekreterare: {names}",
    "minutes.doc_and": "och",
    "minutes.doc_overdue": "(försenad)",
    "minutes.section.attendance": "Närvarande",
    "minutes.section.checkin": "Incheckning",
    "minutes.section.decisions": "Övriga beslut",
    "minutes.section.actions": "Uppdrag",
    "minutes.section.upcoming": "Kommande möten",
    "minutes.section.checkout": "Utcheckning",
    # The card
    "minutes.card_draft_heading": "Utkast: {title}",
    "minutes.card_correcting_heading": "Rättelse: {title}",
    "minutes.card_editor_intro": (
        "Du är sekreterare: skriv anteckningar under varje punkt, tryck **Spara utkast** när du vill "
        "spara och **Godkänn protokoll** när allt stämmer. Närvaro, beslut och uppdrag ändras med "
        "sina egna kommandon (till exempel *rätta beslut 3*) och kommer med här av sig själva."
    ),
    "minutes.card_viewer_intro": "Sekreteraren granskar utkastet. Ser du något som är fel? Tryck **Begär ändring**.",
    "minutes.card_no_secretary": "Ingen i nätverket har rollen sekreterare än. Ge någon rollen med *roll @Namn sekreterare*.",
    "minutes.card_stale_notice": "Utkastet har ändrats sedan kortet visades (till exempel ett nytt beslut). Här är det senaste – granska och tryck **Godkänn protokoll** igen.",
    "minutes.card_saved_notice": "Utkastet är sparat ({time}).",
    "minutes.card_conflict_notice": "Någon annan sparade samtidigt text i {fields}; deras text finns kvar. Kontrollera och spara igen.",
    "minutes.card_already_notice": "Protokollet var redan godkänt av {name}. Inget ändrades.",
    "minutes.card_reason_missing_notice": "Skriv varför protokollet rättas i rutan **Skäl till rättelsen** och tryck **Godkänn rättelse** igen.",
    "minutes.card_label_checkin_summary": "Incheckning – sammanfattning (lämna tomt för att visa svaren)",
    "minutes.card_label_checkout_summary": "Utcheckning – sammanfattning (lämna tomt för att visa svaren)",
    "minutes.card_label_notes": "Anteckningar",
    "minutes.card_label_reason": "Skäl till rättelsen (krävs)",
    "minutes.card_placeholder_notes": "Vad sades under punkten?",
    "minutes.card_placeholder_reason": "Till exempel: fel namn under Närvarande",
    "minutes.card_label_comment": "Vad behöver ändras?",
    "minutes.card_placeholder_comment": "Till exempel: beslutet under punkt 3 saknar datum",
    "minutes.card_answers_private": "{count} svar – de visas för alla när minnesanteckningarna är godkända.",
    "minutes.card_answers_hidden": "{count} svar (visas i det färdiga protokollet).",
    "minutes.card_no_answers": "Inga svar än.",
    "minutes.card_no_items": "Dagordningen har inga punkter. Lägg till med *punkt …*.",
    "minutes.card_fact_date": "Datum",
    "minutes.card_fact_time": "Tid",
    "minutes.card_fact_place": "Plats",
    "minutes.card_fact_status": "Status",
    "minutes.card_status_draft": "Utkast – inte godkänt än",
    "minutes.card_status_correcting": "Rättas (godkänd version {version} gäller tills rättelsen godkänns)",
    "minutes.card_status_confirmed": "Godkänt",
    "minutes.button_save": "Spara utkast",
    "minutes.button_approve": "Godkänn protokoll",
    "minutes.button_approve_correction": "Godkänn rättelse",
    "minutes.button_request_change": "Begär ändring",
    "minutes.button_send": "Skicka till presidiet",
    "minutes.button_correct": "Rätta protokollet",
    "minutes.button_cosign": "Justera",
    "minutes.card_summary_draft": "Utkast till minnesanteckningar {date}",
    "minutes.card_summary_confirmed": "Minnesanteckningar {date} (godkända)",
    # Replies to the command
    "minutes.not_allowed": (
        "Protokollet skrivs av sekreteraren tillsammans med ordföranden och presidiet. "
        "När det är godkänt visas det här i kanalen. Skriv **möten** för att se mötena."
    ),
    "minutes.no_meeting": (
        "Det finns inget möte som har börjat än, så det finns inget protokoll att skriva. "
        "Skriv **möten** för att se kalendern, eller **protokoll 20 november** för ett visst möte."
    ),
    "minutes.quoted_text": "för ”{text}”",
    "minutes.quoted_id": "med id eller datum ”{text}”",
    "minutes.meeting_not_found": (
        "Jag hittar inget möte {what}. Skriv **tidigare möten** för att se mötena, och sedan till exempel "
        "**protokoll 20 november**."
    ),
    "minutes.meeting_ambiguous": "Det finns flera möten den dagen: {ids}. Skriv till exempel **protokoll {example}**.",
    "minutes.meeting_cancelled": "Mötet {date} är inställt, så det har inget protokoll. Skriv **tidigare möten** för att se de andra.",
    "minutes.meeting_not_started": "Mötet {date} har inte börjat än. Protokollet kan skrivas när mötet har börjat.",
    "minutes.only_secretary": (
        "Det är bara sekreteraren som kan spara och godkänna protokollet, så inget ändrades. "
        "Ser du något som är fel? Tryck **Begär ändring** och skriv vad."
    ),
    "minutes.only_secretary_correct": "Det är bara sekreteraren som kan rätta ett godkänt protokoll. Skriv **medlemmar** för att se vem det är.",
    "minutes.only_chair_cosign": "Det är bara ordföranden som kan justera protokollet, så inget ändrades.",
    "minutes.cosign_not_self": "Den som godkände protokollet kan inte också justera det. Be en annan ordförande.",
    "minutes.nothing_to_cosign": "Det finns inget som väntar på justering för det mötet.",
    "minutes.not_confirmed_yet": "Protokollet för {date} är inte godkänt än, så det finns inget att rätta. Skriv **protokoll** för att se utkastet.",
    "minutes.correcting_started": "Du kan nu rätta protokollet för {date}. Ändra i kortet, skriv skälet och tryck **Godkänn rättelse**. Den godkända versionen gäller tills dess.",
    "minutes.approved_channel": "✅ {name} har godkänt minnesanteckningarna för {date} (version {version}).",
    "minutes.approved_channel_cosign": "✅ {name} har godkänt minnesanteckningarna för {date} (version {version}). Ordföranden justerar dem härnäst.",
    "minutes.cosigned_channel": "✅ {name} har justerat minnesanteckningarna för {date} (version {version}).",
    "minutes.comment_missing": (
        "Skriv vad som behöver ändras i minnesanteckningarna för {date} i ditt nästa meddelande, så skickar "
        "jag det till presidiet och sekreteraren. Skriv **avbryt** om du ångrar dig."
    ),
    "minutes.change_network_left": "Du är inte längre med i nätverket de minnesanteckningarna hör till, så inget skickades.",
    "minutes.change_requested": (
        "✏️ {name} begär en ändring i minnesanteckningarna för {date}:\n\n{comment}\n\n"
        "Sekreteraren rättar i utkastet (skriv **protokoll {meeting_id}**)."
    ),
    "minutes.change_requested_channel": (
        "✏️ {name} har begärt en ändring i minnesanteckningarna för {date}; kommentaren går till sekreteraren "
        "och presidiet i chatten med boten. {names}: boten når er inte där – skriv **hjälp** till boten i en "
        "chatt, så kommer nästa begäran fram."
    ),
    "minutes.change_requested_channel_nobody": (
        "✏️ {name} har begärt en ändring i minnesanteckningarna för {date}, men ingen har rollen sekreterare "
        "eller presidium. Ordföranden sätter rollen med **roll @Namn sekreterare**."
    ),
    "minutes.change_sent": "Tack! Din begäran är skickad till {names} i chatten med boten. Sekreteraren rättar i utkastet.",
    "minutes.change_sent_partly": (
        "Tack! Din begäran är skickad till {names} i chatten med boten. {unreached} når jag inte där – säg gärna "
        "till själv. I kanalen står bara att en ändring är begärd, inte vad du skrev."
    ),
    "minutes.change_not_sent": (
        "Jag når inte {unreached} i chatten med boten, så din kommentar kom inte fram. I kanalen står bara att en "
        "ändring är begärd, inte vad du skrev: skicka kommentaren själv till sekreteraren."
    ),
    "minutes.change_nobody": (
        "Ingen har rollen sekreterare eller presidium, så din kommentar kom inte fram. I kanalen står bara att en "
        "ändring är begärd; skriv **medlemmar** för att se vem som har vilken roll."
    ),
    "minutes.unknown_meeting_in_card": "Det mötet finns inte längre. Skriv **protokoll** för att se det senaste.",
    "minutes.cosign_setting_on": "Justering är påslagen: efter att sekreteraren godkänt protokollet justerar ordföranden det med knappen **Justera**.",
    "minutes.cosign_setting_off": "Justering är avslagen: protokollet gäller när sekreteraren har godkänt det.",
    "minutes.network_name_usage": "Protokollen har rubriken **Minnesanteckningar – {name}**. Presidiet kan ändra "
    "nätverkets namn med till exempel **protokoll namn Nätverket Utvecklingsledare, Skolutveckling i Skaraborg, SKIS** "
    "(**protokoll namn standard** tar tillbaka teamets namn).",
    "minutes.only_presidium_network_name": "Det är bara presidiet och ordföranden som kan ändra nätverkets namn i protokollen.",
    "minutes.network_name_too_long": "Namnet är för långt för en rubrik: högst {limit} tecken. Skriv det kortare.",
    "minutes.network_name_set": "Klart! Protokollen får nu rubriken **Minnesanteckningar – {name}**. Det gäller utkast "
    "och nya versioner; redan godkända protokoll ändras inte.",
    "minutes.cosign_setting_usage": "Skriv **protokoll justering på** eller **protokoll justering av**. Nu är justering {state}.",
    "minutes.cosign_state_on": "påslagen",
    "minutes.cosign_state_off": "avslagen",
    "minutes.only_presidium_setting": "Det är bara presidiet och ordföranden som kan slå på eller av justering.",
    "minutes.history_title": "Versioner av minnesanteckningarna för {date}:",
    "minutes.history_line": "- Version {version}: godkänd av {name}, {at}{reason}{cosign}. Kontrollsumma {hash}",
    "minutes.history_reason": " – rättelse: {reason}",
    "minutes.history_cosign": ", justerad av {name}",
    "minutes.history_draft": "- Utkast (ändrat {at}), inte godkänt än.",
    "minutes.history_none": "Det finns inga minnesanteckningar för {date} än. Sekreteraren, ordföranden eller presidiet gör ett utkast med **protokoll {meeting_id}**.",
    "minutes.history_export_hint": "Exportera en version med *skis-bot export --format docx --meeting {meeting_id} --version N --out protokoll.docx*.",
    # Export CLI (skis-bot export --format md|html|docx)
    "minutes.export_no_meeting": "Hittar inget möte med id {meeting_id}. Mötenas id står i **tidigare möten** i Teams och i JSON-exporten.",
    "minutes.export_many_teams": "Mötet {meeting_id} finns i flera nätverk ({teams}); ange vilket med --team.",
    "minutes.export_no_version": "Mötet {meeting_id} har ingen godkänd version {version}; godkända versioner: {versions}.",
    "minutes.export_no_versions": "inga än",
    "minutes.export_no_draft": "Minnesanteckningarna för mötet {meeting_id} är godkända och har inget utkast; exportera version {version} (utan --draft).",
    "minutes.export_draft_and_version": "Ange antingen --version eller --draft, inte båda.",
    "minutes.export_needs_meeting": "Ange vilket möte med --meeting ID (till exempel --meeting 20261120).",
    "minutes.export_meeting_needs_format": "--meeting, --version och --draft gäller protokoll: ange --format md, html eller docx.",
    "minutes.export_docx_needs_out": "Word-filer kan inte skrivas till standard output; ange --out fil.docx.",
    "minutes.export_draft_warning": "Obs: protokollet är inte godkänt än; filen är ett UTKAST.",
    "minutes.note_too_long": (
        "Texten under {field} är för lång ({length} tecken, högst {max}). Korta ner den och tryck "
        "**Spara utkast** igen. Inget av det du skrev nu sparades."
    ),
    "minutes.notes_too_long": (
        "Anteckningarna blir tillsammans för långa för protokollkortet ({length} tecken, högst {max}). "
        "Korta ner några av dem och tryck **Spara utkast** igen. Inget av det du skrev nu sparades."
    ),
}

EN: dict[str, str] = {}
