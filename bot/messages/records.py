"""Messages for check-ins, action items and decisions (see bot/messages/__init__.py).

Check-in and check-out share templates: ``{kind}`` is "incheckningen"/"utcheckningen",
``{kind_title}`` "Incheckning"/"Utcheckning", ``{command}``, ``{list_command}``,
``{delete_command}`` and ``{question_command}`` are the commands for that kind.
"""

SV: dict[str, str] = {
    # The network's own questions, asked in turn when the presidium sets none.
    "records.default_checkin_1": "Vad tog du med från förra mötet?",
    "records.default_checkin_2": "Vad är det bästa som kan hända vid dagens möte?",
    "records.default_checkin_3": "Vad fyller dina arbetsdagar just nu?",
    "records.default_checkout_1": "Varför jobbar du där du är?",
    "records.default_checkout_2": "Vad tar du med dig från dagens möte?",
    "records.default_checkout_3": "Vad gör du först när du är tillbaka på jobbet efter dagens möte?",
    "records.kind.checkin": "incheckningen",
    "records.kind.checkout": "utcheckningen",
    "records.kind_title.checkin": "Incheckning",
    "records.kind_title.checkout": "Utcheckning",
    "records.question_label.checkin": "Incheckningsfrågan",
    "records.question_label.checkout": "Utcheckningsfrågan",
    "records.question_example.checkin": "Vad vill du få med dig i dag?",
    "records.question_example.checkout": "Vad tar du med dig från dagens möte?",
    # Check-in and check-out
    "records.checkin_no_meeting": (
        "Det finns inget kommande möte att svara på {kind} till än. När presidiet har lagt in nästa möte "
        "kan du svara med **{command}**. Skriv **möten** för att se kalendern."
    ),
    "records.checkin_prompt": "**{kind_title} – mötet {meeting}**\n\n*{question}*",
    "records.checkin_prompt_hint": "Skriv ditt svar här, gärna på flera rader. Skriv **avbryt** om du vill vänta.",
    "records.checkin_prompt_existing": (
        "Du har redan svarat:\n\n{answer}\n\nSkriv ett nytt svar så ersätter det ditt gamla, "
        "skriv **{delete_command}** för att ta bort det, eller **avbryt** för att behålla det."
    ),
    "records.checkin_empty": "Jag fick inget svar. Skriv ditt svar på frågan *{question}*, eller **avbryt**.",
    "records.checkin_saved": (
        "Tack {name}! Jag har sparat ditt svar på {kind} till mötet {meeting}:\n\n{answer}\n\n"
        "Vill du ändra det? Skriv **{command}** och ditt nya svar. **{delete_command}** tar bort det, "
        "och **{list_command}** visar allas svar."
    ),
    "records.checkin_replaced": (
        "Tack {name}! Ditt nya svar har ersatt det du skrev tidigare på {kind} till mötet {meeting}.\n\n"
        "**Nu:**\n\n{answer}\n\n**Förut:**\n\n{previous}\n\n"
        "Skriv **{command}** och ett nytt svar för att ändra igen, eller **{delete_command}** för att ta bort det."
    ),
    "records.checkin_saved_for": (
        "Sparat: svaret från {name} på {kind} till mötet {meeting}{replaced}:\n\n{answer}\n\n"
        "Nästa person skriver du på samma sätt, till exempel **{command} {meeting}: @Namn: svaret**. "
        "**{list_command}** visar allas svar."
    ),
    "records.checkin_saved_for_replaced": " (det ersatte svaret som fanns)",
    "records.checkin_for_other_not_allowed": (
        "Bara {roles} kan skriva in någon annans svar. Ditt eget svar skriver du som "
        "**{command} <datum>: ditt svar**; {name} kan skriva sitt själv."
    ),
    "records.checkin_deleted": (
        "Jag har tagit bort ditt svar på {kind} till mötet {meeting}. Skriv **{command}** om du vill svara igen."
    ),
    "records.checkin_nothing_to_delete": (
        "Du har inget svar på {kind} till mötet {meeting} att ta bort. Skriv **{command}** för att svara."
    ),
    "records.meeting_gone": (
        "Mötet det gällde finns inte längre (det kan ha ställts in), så inget sparades. "
        "Skriv **möten** för att se kalendern."
    ),
    "records.checkins_title": "{kind_title} – mötet {meeting}",
    "records.checkins_count": "{answered} av {total} har svarat.",
    "records.checkins_changed": "ändrat",
    "records.checkins_none_yet": "Ingen har svarat än.",
    "records.checkins_missing_heading": "Har inte svarat än",
    "records.checkins_all_answered": "Alla i medlemslistan har svarat. 🎉",
    "records.checkins_continued": "(fortsättning)",
    "records.checkins_footer": "Svara eller ändra ditt svar med **{command}**.",
    "records.checkins_summary": "{kind_title}: {answered} av {total} har svarat",
    "records.no_municipality": "Kommun saknas",
    "records.question_current": (
        "{question_label} till mötet {meeting} är:\n\n*{question}*\n\n{source} Presidiet och ordföranden kan byta den med "
        "**{question_command}** och den nya frågan, till exempel *{question_command} {question_example}*"
    ),
    "records.question_source_custom": "Presidiet har valt den.",
    "records.question_source_default": "Den är en av nätverkets egna frågor, som turas om.",
    "records.question_set": (
        "Klart! {question_label} till mötet {meeting} är nu:\n\n*{question}*\n\n"
        "Den visas när någon skriver **{command}**. Vill du gå tillbaka till nätverkets egna frågor? "
        "Skriv **{question_command} standard**."
    ),
    "records.question_reset": "Klart! Mötet {meeting} får en av nätverkets egna frågor:\n\n*{question}*",
    "records.question_answered_note": "{count} har redan svarat på den förra frågan; deras svar finns kvar.",
    "records.question_too_long": "Frågan är lite för lång ({length} tecken). Korta den till högst {limit} tecken och skriv **{question_command}** igen.",
    # Card answers (shown briefly in Teams, no formatting)
    "records.card_checkin_saved": "Tack! Ditt svar på {kind} är sparat: ”{answer}”. Skriv {command} för att se eller ändra det.",
    "records.card_checkin_replaced": "Tack! Ditt nya svar har ersatt det gamla: ”{answer}”.",
    "records.card_answer_empty": "Skriv ditt svar i rutan först och tryck sedan på knappen igen.",
    # Action items: owners and due dates
    "records.owner_all_name": "alla",
    "records.owner_all": "alla i nätverket",
    "records.owner_municipality": "alla från {municipality}",
    "records.owner_external": "{name} (utanför nätverket)",
    "records.and": "och",
    "records.owner_missing": (
        "Jag hittade inget namn. Skriv vem som ska göra det, till exempel *Anna*, *Anna och Peter*, "
        "*Skövde* eller *alla*."
    ),
    "records.owner_too_many": (
        "Det var fler än {max} namn. Skriv högst {max} namn, eller *alla* om det gäller hela nätverket."
    ),
    "records.owner_ambiguous": "Det finns flera som heter {name}: {candidates}. Skriv hela namnet, till exempel *{example}*.",
    "records.due_in_past": "{date} har redan varit. Skriv ett datum framåt i tiden, *till nästa möte*, eller *ingen*.",
    "records.due_no_date": "datum inte bestämt än",
    "records.due_next_meeting": "till nästa möte ({date})",
    "records.due_by": "senast {date}",
    # Action items: recording
    "records.action_saved": "Uppgift **{number}** är sparad: {title}",
    "records.action_owner_line": "Ansvarig: {owners}",
    "records.action_due_line": "Ska vara klar {due}",
    "records.action_no_due_line": "Inget slutdatum.",
    "records.action_meeting_line": "Från mötet: {meeting}",
    "records.action_for_meeting_line": "Till mötet: {meeting}",
    "records.action_external_note": (
        "{names} finns inte i medlemslistan, så jag skrev in namnet som det stod. "
        "Fel person? Skriv **tilldela** och numret med rätt namn."
    ),
    "records.action_how_to_change": (
        "Ändra texten med **ändra uppgift {number}** och den nya texten, ge den till någon annan med "
        "**tilldela {number} @Namn**, och bocka av med **klar {number}**. Alla öppna: **uppgifter**."
    ),
    "records.action_so_far": "Uppgift: *{title}*",
    "records.action_ask_title": (
        "Vad ska göras? Skriv uppgiften, till exempel *Mejla inbjudan till SKIS-gruppen*. "
        "(Skriv **avbryt** för att avbryta.)"
    ),
    "records.action_ask_owners": (
        "Vem ska göra det? Skriv ett eller flera namn (*Anna*, *Anna och Peter*), en kommun (*Skövde*) "
        "eller *alla*. (**avbryt** avbryter.)"
    ),
    "records.action_ask_due": (
        "När ska det vara klart? Skriv ett datum (*4 december*), *till nästa möte* eller *ingen*. "
        "(**avbryt** avbryter.)"
    ),
    "records.action_title_empty": "Jag behöver veta vad som ska göras.",
    "records.agenda_item_missing": (
        "Dagordningen för mötet {meeting} har ingen punkt {number} (den har punkterna 1–{last}), så jag "
        "har inte sparat något. Skriv **dagordning** för att se punkterna och skriv sedan beslutet igen, "
        "till exempel *beslut punkt 3: …*, eller utan punkt."
    ),
    "records.action_pending_dropped": (
        "Uppgiften *{title}* sparades inte (den saknade svar på min fråga). Skriv den igen med "
        "**uppgift** när du vill. Nu tar jag den nya:"
    ),
    "records.action_owner_is_command": (
        "”{text}” ser ut som kommandot **{word}**, inte som ett namn, så jag har inte sparat något. "
        "Svara först på frågan nedan, eller skriv **avbryt** och sedan kommandot igen."
    ),
    # Action items: lists
    "records.actions_none": (
        "Det finns inga öppna uppgifter just nu. Lägg till en med **uppgift**, till exempel "
        "*uppgift Mejla inbjudan @Anna till nästa möte*."
    ),
    "records.my_actions_none": "Du har inga öppna uppgifter just nu. 👍 Alla öppna uppgifter: **uppgifter**.",
    "records.actions_title": "Öppna uppgifter",
    "records.my_actions_title": "Dina öppna uppgifter",
    "records.actions_overdue": "Försenade",
    "records.actions_meeting_group": "Från mötet {meeting}",
    "records.actions_for_meeting_group": "Till mötet {meeting}",
    "records.actions_no_meeting": "Utan möte",
    "records.actions_row_due": "klar {due}",
    "records.actions_row_overdue": "skulle vara klar {due}",
    "records.actions_done_button": "Klar",
    "records.actions_more": "… och {count} till. Skriv **mina uppgifter** för att se dina egna.",
    "records.actions_footer": "Bocka av med **klar** och numret, till exempel *klar {example}*. Dina egna: **mina uppgifter**.",
    "records.actions_summary": "{count} öppna uppgifter",
    "records.actions_page": "Visar {first}–{last} av {total} · sida {page} av {pages}",
    "records.actions_next": "Fler: tryck på **Visa fler** eller skriv **{command}**.",
    "records.actions_more_button": "Visa fler",
    "records.actions_first_button": "Till början",
    "records.actions_no_page": "Listan har {pages} sid(or). Skriv **{command}** för den sista.",
    "records.action_form_button": "Ny uppgift",
    "records.action_form_title": "Vad ska göras?",
    "records.action_form_owners": "Vem ska göra det?",
    "records.action_form_owners_hint": "Anna, Peter, Skövde eller alla",
    "records.action_form_due": "Klar till",
    "records.action_form_due_hint": "4 december, nästa möte eller tomt",
    "records.action_form_save": "Spara uppgiften",
    "records.action_form_title_missing": "Skriv vad som ska göras i första rutan, så sparar jag uppgiften.",
    "records.action_form_owners_missing": "Skriv vem som ska göra det i andra rutan (ett namn, en kommun eller alla).",
    # Action items: done, reopen, edit, assign
    "records.action_number_missing": "Skriv numret på uppgiften, till exempel **{command} 12**. Numren står i **uppgifter**.",
    "records.action_not_found": "Jag hittar ingen uppgift {number}. Skriv **uppgifter** för att se de öppna och deras nummer.",
    "records.action_not_allowed": (
        "Uppgift {number} ({title}) ligger hos {owners}. Bara den som har uppgiften, presidiet eller "
        "ordföranden kan bocka av den, så jag lät den vara. Be någon av dem, eller skriv **mina uppgifter** "
        "för att se dina egna."
    ),
    "records.action_edit_not_allowed": (
        "Uppgift {number} ({title}) ligger hos {owners}. Bara den som har uppgiften, den som skrev in den, "
        "presidiet eller ordföranden kan ändra den, så jag lät den vara. Be någon av dem, eller skriv "
        "**mina uppgifter** för att se dina egna."
    ),
    "records.action_already_done": "Uppgift {number} är redan markerad som klar ({date}). Skriv **ångra {number}** om den inte är klar ändå.",
    "records.action_already_open": "Uppgift {number} är redan öppen. Bocka av den med **klar {number}** när den är klar.",
    "records.action_done": "Bra jobbat! Uppgift **{number}** ({title}) är markerad som klar. Fel? Skriv **ångra {number}**.",
    "records.action_reopened": "Uppgift **{number}** ({title}) är öppen igen. Skriv **klar {number}** när den är klar.",
    "records.action_edit_usage": (
        "Skriv numret och den nya texten, till exempel **ändra uppgift 12 Mejla inbjudan till alla skolchefer**. "
        "Ett nytt datum går också: *ändra uppgift 12 till 11 december*."
    ),
    "records.action_edited": "Uppgift **{number}** är ändrad.",
    "records.action_edited_before": "Förut: {title}",
    "records.action_assign_usage": "Skriv numret och vem som ska ta över, till exempel **tilldela 12 @Anna** eller *tilldela 12 Skövde*.",
    "records.action_assigned": "Uppgift **{number}** ({title}) ligger nu hos {owners} (förut {before}). Ändra igen med **tilldela {number}** och namnen; alla öppna: **uppgifter**.",
    "records.nothing_changed": "Inget ändrades.",
    # Decisions
    "records.decision_no_meeting": (
        "Inget möte har börjat än, så jag vet inte vilket möte beslutet hör till. "
        "Skriv **möten** för att se kalendern."
    ),
    "records.decision_not_allowed": (
        "Mötet {meeting} är slut, så nu är det {roles} som för in beslut från det. "
        "Be någon av dem, eller skriv **beslutslogg** för att se besluten."
    ),
    "records.decision_ask": (
        "Vilket beslut togs på mötet {meeting}? Skriv beslutet. Hör det till en punkt på dagordningen, "
        "börja med punktens nummer, till exempel *punkt 3: Skövde och Tibro presenterar Bästa skola*. "
        "(**avbryt** avbryter.)"
    ),
    "records.decision_ask_for_item": "Vilket beslut togs under punkt {item} på mötet {meeting}? Skriv beslutet. (**avbryt** avbryter.)",
    "records.decision_empty": "Jag fick ingen beslutstext.",
    "records.decision_saved": "Beslut **{number}** är sparat för mötet {meeting}{item}:\n\n{text}",
    "records.decision_how_to_change": (
        "Rätta det med **ändra beslut {number}** och den nya lydelsen; det gamla sparas i historiken. "
        "Alla beslut: **beslutslogg**."
    ),
    "records.decision_item_suffix": " (punkt {item})",
    "records.decision_placed": (
        "I minnesanteckningarna står det under punkt {number}, {title}, som beslutet före det. "
        "Hör det till en annan punkt, till exempel punkt 5, skriv **ändra beslut {decision} punkt 5:** och lydelsen."
    ),
    "records.decision_edit_usage": (
        "Skriv numret och den nya lydelsen, till exempel **ändra beslut 7 Skövde och Tibro presenterar "
        "på mötet i juni**. Numren står i **beslutslogg**."
    ),
    "records.decision_not_found": "Jag hittar inget beslut {number}. Skriv **beslutslogg** för att se besluten och deras nummer.",
    "records.decision_edit_not_allowed": "Beslut {number} rättas av den som förde in det, eller av {roles}. Be någon av dem.",
    "records.decision_after_minutes_secretary": (
        "Obs! Minnesanteckningarna för {meeting} är redan godkända (version {version}) och innehåller inte "
        "det här. Vill du ta med det gör du en rättelse: skriv **protokoll rätta {meeting_id}**, granska kortet, skriv skälet "
        "(t.ex. *Beslut tillagt i efterhand*) och tryck **Godkänn rättelse**. Det blir version {next}; "
        "version {version} gäller tills dess."
    ),
    "records.decision_after_minutes": (
        "Obs! Minnesanteckningarna för {meeting} är redan godkända (version {version}) och innehåller inte "
        "det här. Säg till sekreteraren ({secretaries}), som kan rätta dem med **protokoll rätta {meeting_id}**."
    ),
    "records.decision_after_minutes_no_secretary": "ingen har rollen än",
    "records.decision_after_minutes_correcting": (
        "Minnesanteckningarna för {meeting} håller på att rättas: det här kommer med i rättelsen när "
        "sekreteraren godkänner den. Version {version} gäller tills dess."
    ),
    "records.decision_corrected": (
        "Beslut **{number}** är rättat.\n\n**Nu:**\n\n{text}\n\n**Förut:**\n\n{before}\n\n"
        "Alla tidigare lydelser finns kvar i historiken ({count} st)."
    ),
    "records.decision_log_title": "Beslutslogg",
    "records.decision_log_search_title": "Beslutslogg: {query}",
    "records.decision_log_page": "Sida {page} av {pages} · {count} beslut, nyast först",
    "records.decision_log_row": "**Beslut {number}** · mötet {meeting}",
    "records.decision_log_corrected": " · rättat",
    "records.decision_log_next": "Fler beslut: skriv **{command}**. Sök med ett ord, till exempel *beslutslogg bästa skola*.",
    "records.decision_log_hint": "Sök med ett ord, till exempel *beslutslogg bästa skola*.",
    "records.decision_log_summary": "Beslutslogg, sida {page} av {pages}",
    "records.decision_log_empty": (
        "Inga beslut är sparade än. Under ett möte skriver man **beslut** och beslutet, "
        "till exempel *beslut Nästa möte blir digitalt*."
    ),
    "records.decision_log_no_hits": (
        "Inget beslut innehåller ”{query}”. Prova ett annat ord eller början av ett ord, "
        "eller skriv **beslutslogg** för alla."
    ),
    "records.decision_log_no_page": "Beslutsloggen har {pages} sid(or). Skriv **{command}** för den sista.",
    # Limits on what is stored: one very long record would break the shared cards for everyone.
    "records.checkin_too_long": (
        "Svaret är för långt för att spara ({length} tecken, högst {max}). Korta ner det, gärna med det "
        "viktigaste först, och skicka det igen. Inget sparades."
    ),
    "records.action_title_too_long": (
        "Uppgiften är för lång ({length} tecken, högst {max}). Skriv en kort rubrik, till exempel "
        "*uppgift Mejla inbjudan @Anna till fredag*, och skicka igen; detaljerna kan stå i kanalen. Inget sparades."
    ),
    "records.decision_too_long": (
        "Beslutet är för långt för att spara ({length} tecken, högst {max}). Korta ner det eller dela upp det "
        "i flera beslut, och skicka igen. Inget sparades."
    ),
    "records.already_done": (
        "Det meddelandet har jag redan tagit hand om, så jag ändrade inget nu. Skriv **uppgifter** "
        "eller **beslutslogg** för att se hur det ser ut."
    ),
}

EN: dict[str, str] = {
    "records.action_pending_dropped": (
        "The action item *{title}* was not saved (it still lacked an answer). Type it again with "
        "**uppgift** whenever you like. Now for the new one:"
    ),
    "records.action_owner_is_command": (
        "“{text}” looks like the command **{word}**, not a name, so nothing was saved. Answer the "
        "question below first, or type **avbryt** and then the command again."
    ),
    "records.checkin_prompt_hint": "Type your answer here (in Swedish or English). Type **avbryt** to cancel.",
    "records.owner_all": "everyone in the network",
    "records.owner_municipality": "everyone from {municipality}",
    "records.owner_external": "{name} (outside the network)",
    "records.and": "and",
}
