"""Messages for the meetings area: calendar, agenda, attendance, municipalities, members and roles.

Dates in ``{when}`` and ``{date}`` are already formatted the Swedish way by bot/formatting.py.
"""

SV: dict[str, str] = {
    # Calendar -------------------------------------------------------------------------------
    "meetings.list_title": "Kommande möten",
    "meetings.past_title": "Tidigare möten",
    "meetings.list_summary": "Kommande möten: {count}",
    "meetings.none_upcoming": (
        "Inga möten är inplanerade än. Presidiet, ordföranden eller sekreteraren lägger in ett med till exempel "
        "*nytt möte fredag 4 december kl 9-12 Regionens hus, Skövde*."
    ),
    "meetings.none_past": "Det finns inga tidigare möten än. Skriv **möten** för att se de kommande.",
    "meetings.list_hint": (
        "Anmäl dig med **kommer** eller **kommer inte**. Dagordningen: **dagordning**. "
        "Tidigare möten: **tidigare möten**."
    ),
    "meetings.past_hint": "Kommande möten: **möten**.",
    "meetings.fact_place": "Plats",
    "meetings.fact_topics": "Planerat",
    "meetings.fact_answers": "Anmälda",
    "meetings.fact_id": "Id",
    "meetings.place_unknown": "Inte bestämd än",
    "meetings.online_link": "Teams-möte (länk)",
    "meetings.answers_count": "{yes} kommer, {no} kommer inte",
    "meetings.cancelled_label": "INSTÄLLT",
    "meetings.list_more": "… och {count} till.",
    "meetings.button_yes": "Jag kommer",
    "meetings.button_no": "Jag kommer inte",
    # New meeting ----------------------------------------------------------------------------
    "meetings.place_suffix": ", {place}",
    "meetings.no_place_suffix": " (plats inte bestämd än)",
    "meetings.created": (
        "Klart! Mötet är sparat: **{when}**{place}.\n\n"
        "Ändra tid eller plats: *flytta möte {id} till …* · Ångra: *ställ in möte {id}* · Se alla: **möten**"
    ),
    "meetings.created_topics": "Planerat: {topics}.",
    "meetings.ask_date": (
        "Vilken dag är mötet? Skriv till exempel *fredag 4 december* eller *4/12 kl 9-12*. "
        "(Skriv **avbryt** för att avbryta.)"
    ),
    "meetings.ask_date_again": "{question}\n\n(Skriv **avbryt** för att avbryta.)",
    "meetings.no_date_found": "Jag hittade inget datum i ”{text}”. Vilken dag är mötet? Skriv till exempel *fredag 4 december kl 9-12*.",
    "meetings.ask_time": "Vilken tid börjar och slutar mötet {date}? Skriv till exempel *9-12*, *8.30-12* eller *13-15*.",
    "meetings.ask_place_again": (
        "”{text}” låter som en tid, inte en plats. Var hålls mötet? Skriv till exempel *Regionens hus, Skövde* "
        "eller en Teams-länk, eller *-* om platsen inte är bestämd. (Skriv **avbryt** för att avbryta.)"
    ),
    "meetings.ask_place": (
        "Var hålls mötet? Skriv platsen, till exempel *Regionens hus, Skövde*, eller klistra in Teams-länken. "
        "Skriv **-** om det inte är bestämt än."
    ),
    "meetings.ask_topics": (
        "Vilka punkter är planerade? Skriv en per rad (eller med semikolon emellan), eller **inga**."
    ),
    "meetings.date_past": "{date} har redan varit. Skriv ett datum framåt i tiden, till exempel *fredag 4 december kl 9-12*.",
    # Confirmation ---------------------------------------------------------------------------
    "meetings.warn_past": (
        "**{when}** har redan varit. Sparar du blir det ett hållet möte, så att närvaro, beslut, "
        "uppgifter och protokoll från det kan skrivas in."
    ),
    "meetings.warn_not_friday": "Det blir {date}, och det är inte en fredag – nätverket träffas på fredagar.",
    "meetings.warn_holiday": "Den dagen är det {holiday} ({date}), då är många lediga.",
    "meetings.warn_same_day": "Det finns redan ett möte samma dag: {when} (id {id}).",
    "meetings.confirm_card_title": "Spara ändå?",
    "meetings.list_card_title": "{count} möten att planera",
    "meetings.list_intro": "Jag förstod {count} möten:",
    "meetings.list_question": "Ska jag planera alla {count}? Svara **ja** eller **nej**.",
    "meetings.list_aborted": "Okej, inget av de {count} mötena är sparat. Skriv **nytt möte** och listan igen när du vill.",
    "meetings.list_unclear": (
        "Jag förstod inte de här raderna som ett möte med dag och tid:\n{lines}\n\n"
        "Inget är sparat. Skriv **nytt möte** och listan igen, ett möte per rad, till exempel "
        "*2 oktober 13-15 (digitalt)*."
    ),
    "meetings.list_too_long": "Det var fler än {max} rader. Skriv **nytt möte** och högst {max} möten åt gången, ett per rad.",
    "meetings.confirm_intro_create": "Nytt möte: **{when}**{place}.",
    "meetings.confirm_intro_move": "Flytta mötet till **{when}**{place}.",
    "meetings.confirm_question": "Spara ändå? Svara **ja** eller **nej**.",
    "meetings.confirm_waiting": (
        "Jag väntar på ditt svar om det här mötet: {summary}\n\n"
        "Svara **ja** för att spara det eller **nej** för att låta bli. Vill du göra något annat först, skriv **avbryt**."
    ),
    "meetings.confirm_waiting_list": (
        "Jag väntar på ditt svar om de {count} mötena i listan ovan, det första: {summary}\n\n"
        "Svara **ja** för att planera alla eller **nej** för att låta bli. Vill du göra något annat först, skriv **avbryt**."
    ),
    "meetings.confirm_retry": "Svara **ja** för att spara eller **nej** för att låta bli. (Skriv **avbryt** för att avbryta.)",
    "meetings.confirm_aborted": "Okej, inget sparades. Skriv **nytt möte** med ett annat datum när du vill.",
    "meetings.confirm_aborted_move": "Okej, mötet ligger kvar som förut. Skriv **möten** för att se kalendern.",
    "meetings.confirm_already": "Det är redan klart – frågan är besvarad. Skriv gärna ditt meddelande igen om du ville något annat.",
    "meetings.confirm_saved_title": "Sparat",
    "meetings.confirm_aborted_title": "Inte sparat",
    "meetings.button_save_anyway": "Ja, spara",
    "meetings.button_dont_save": "Nej",
    # Move and cancel ------------------------------------------------------------------------
    "meetings.move_usage": (
        "Skriv vilket möte och vart det ska flyttas, till exempel *flytta möte 4 december till 11 december kl 9-12* "
        "eller *flytta möte 20261204 till Regionens hus*. Skriv **möten** för att se datum och id."
    ),
    "meetings.move_unclear": "Jag förstod inte vart mötet ska flyttas: ”{text}”. Skriv till exempel *flytta möte {id} till fredag 11 december kl 9-12*.",
    "meetings.new_question": "{question}\n\nSkriv sedan hela kommandot igen, till exempel *nytt möte fredag 11 december kl 9-12 Regionens hus*.",
    "meetings.move_question": "{question}\n\nSkriv sedan hela kommandot igen, till exempel *flytta möte {id} till fredag 11 december kl 9-12*.",
    "meetings.moved": (
        "Klart! Mötet är flyttat till **{when}**{place} (förut {old}{old_place}).\n\n"
        "Ångra: *flytta möte {id} till {undo}* · Se alla: **möten**"
    ),
    "meetings.cancel_usage": "Skriv vilket möte som ställs in, till exempel *ställ in möte 4 december* eller *ställ in möte 20261204*.",
    "meetings.cancelled": (
        "Mötet **{when}** är inställt. Det står som inställt i **möten** och i kalenderexporten, "
        "och påminnelserna för det stoppas. Ångra: *nytt möte {again}*."
    ),
    "meetings.not_found": "Jag hittar inget kommande möte ”{text}”. Skriv **möten** för att se datum och id.",
    "meetings.not_found_id": "Jag hittar inget möte med id {id}. Skriv **möten** för att se kalendern.",
    "meetings.ambiguous": "Det finns flera möten den dagen: {options}. Skriv id:t i stället, till exempel *{example}*.",
    "meetings.is_cancelled": "Mötet {when} är inställt. Vill du ha ett nytt? Skriv *nytt möte* och datumet.",
    "meetings.already_over": "Mötet {when} har redan varit, så det går inte att flytta eller ställa in.",
    "meetings.date_question": "{question}",
    # Agenda ---------------------------------------------------------------------------------
    "meetings.standing_checkin": "Incheckning",
    "meetings.standing_round": "Laget runt",
    "meetings.standing_follow_up": "Uppföljning av uppdrag",
    "meetings.standing_aob": "Övriga frågor",
    "meetings.standing_checkout": "Utcheckning",
    "meetings.agenda_title": "Dagordning",
    "meetings.agenda_summary": "Dagordning för {when}",
    "meetings.agenda_proposed_by": "föreslagen av {name}",
    "meetings.agenda_hint": (
        "Föreslå en punkt: *punkt* och texten. Presidiet ordnar med *flytta punkt 5 3*, "
        "*ändra punkt 5 ny text* och *ta bort punkt 5*."
    ),
    "meetings.no_meeting_for_agenda": (
        "Det finns inget kommande möte att sätta upp punkter för. Presidiet lägger in ett med "
        "*nytt möte fredag 4 december kl 9-12*."
    ),
    "meetings.item_usage": "Skriv punkten efter ordet punkt, till exempel *punkt Nationellt kvalitetssystem*.",
    "meetings.item_too_long": "Punkten är lång ({length} tecken). Skriv en kort rubrik, högst {max} tecken; detaljerna kan tas på mötet.",
    "meetings.item_standing": (
        "”{title}” står redan på dagordningen för mötet {when}: det är en stående punkt (punkt {number}) på "
        "varje möte, så jag lade inte till den en gång till. Skriv **dagordning** för att se hela."
    ),
    "meetings.item_standing_with_text": (
        "”{title}” är en stående punkt (punkt {number}) på varje möte, så jag lade inte till den en gång till. "
        "Ta upp ”{text}” under {title} på mötet {when} – eller, om det behöver en egen punkt, skriv "
        "**punkt {text}**."
    ),
    "meetings.item_saved": "Tack! ”{title}” är punkt {number} på dagordningen för mötet {when}. Skriv **dagordning** för att se hela.",
    "meetings.item_move_usage": "Skriv vilken punkt och vart, till exempel *flytta punkt 5 3* (punkt 5 blir punkt 3).",
    "meetings.item_edit_usage": "Skriv punktens nummer och den nya texten, till exempel *ändra punkt 5 Kvalitetsdialog med Skolverket*.",
    "meetings.item_remove_usage": "Skriv punktens nummer, till exempel *ta bort punkt 5*. Skriv **dagordning** för att se numren.",
    "meetings.item_no_such": "Det finns ingen punkt {number}. Dagordningen har {count} punkter; skriv **dagordning** för att se dem.",
    "meetings.item_fixed": "Punkt {number}, {title}, är en stående punkt och finns alltid med. Du kan ändra punkterna {first}–{last}.",
    "meetings.item_fixed_one": "Punkt {number}, {title}, är en stående punkt och finns alltid med. Du kan ändra punkt {first}.",
    "meetings.item_fixed_none": "Punkt {number}, {title}, är en stående punkt och finns alltid med. Föreslå egna punkter med *punkt* och texten.",
    "meetings.item_moved": "Klart! ”{title}” är nu punkt {number}. Skriv **dagordning** för att se ordningen.",
    "meetings.item_moved_clamped": "Klart! ”{title}” är nu punkt {number} (punkterna {first}–{last} kan flyttas; de stående ligger kvar först och sist).",
    "meetings.item_moved_clamped_one": "Punkt {number}, ”{title}”, är mötets enda egna punkt och står kvar där; de stående punkterna ligger först och sist.",
    "meetings.item_edited": "Klart! Punkt {number} heter nu ”{title}” (förut ”{old}”).",
    "meetings.item_removed": "Klart! ”{title}” är borttagen från dagordningen. Ångra: *punkt {title}*.",
    "meetings.item_not_yours": "Det får bara {roles} göra, eller den som föreslog punkten. Skriv **medlemmar** för att se vilka det är.",
    "meetings.agenda_already_done": "Det meddelandet har jag redan tagit hand om, så jag ändrade inget nu. Skriv **dagordning** för att se hur den ser ut.",
    # Attendance -----------------------------------------------------------------------------
    "meetings.no_upcoming": "Det finns inget planerat möte att anmäla dig till. Skriv **möten** för att se kalendern.",
    "meetings.attend_gone": "Det mötet har redan varit eller är inställt. Skriv **möten** för att se de kommande.",
    "meetings.attend_yes_saved": "Tack {name}! Du är anmäld till mötet {when}{place}. Ändrar du dig? Skriv **kommer inte**.",
    "meetings.attend_yes_changed": "Tack {name}! Jag har ändrat ditt svar: du kommer till mötet {when}{place}.",
    "meetings.attend_yes_same": "Du är redan anmäld till mötet {when}. Ändrar du dig? Skriv **kommer inte**.",
    "meetings.attend_no_saved": (
        "Tack för att du säger till, {name}. Jag har noterat att du inte kommer {when}. "
        "Kan någon annan från {municipality} komma? Skriv **ersättare** och namnet. Ändrar du dig: **kommer**."
    ),
    "meetings.attend_no_saved_plain": (
        "Tack för att du säger till, {name}. Jag har noterat att du inte kommer {when}. "
        "Kan någon annan från din kommun komma? Skriv **ersättare** och namnet. Ändrar du dig: **kommer**."
    ),
    "meetings.attend_no_same": "Jag har redan noterat att du inte kommer {when}. Ändrar du dig? Skriv **kommer**.",
    "meetings.attend_unclear": (
        "Jag är inte säker på vad du menar med ”{text}”, så jag har inte sparat något. "
        "Skriv **kommer** om du kommer till mötet {when}, eller **kommer inte** om du inte kommer "
        "(text efter *kommer inte* sparas som kommentar)."
    ),
    "meetings.substitute_ask": "Vem kommer i ditt ställe? Skriv **ersättare** och namnet, till exempel *ersättare Pernilla Bergman*.",
    "meetings.substitute_saved": (
        "Tack! {substitute} kommer i ditt ställe till mötet {when} och representerar {municipality}. "
        "Ändrar du dig: **kommer** eller **kommer inte**."
    ),
    "meetings.substitute_saved_plain": (
        "Tack! {substitute} kommer i ditt ställe till mötet {when}. Ändrar du dig: **kommer** eller **kommer inte**."
    ),
    "meetings.substitute_other_municipality": (
        "{substitute} står som {other} i medlemslistan, men en ersättare ska komma från din kommun, {mine}. "
        "Skriv namnet på någon från {mine}, eller be {substitute} rätta sin kommun med **kommun**."
    ),
    "meetings.municipality_tip": "\n\nTips: skriv **kommun** och din kommun, till exempel *kommun Skövde*, så ser presidiet vilka kommuner som kommer.",
    # Presence -------------------------------------------------------------------------------
    "meetings.attendance_title": "Närvaro",
    "meetings.attendance_coming": "Kommer ({count})",
    "meetings.attendance_not_coming": "Kommer inte ({count})",
    "meetings.attendance_present": "Närvarande ({count})",
    "meetings.attendance_missing": "Kommuner som inte har anmält sig ({count})",
    "meetings.attendance_missing_present": "Kommuner som inte var representerade ({count})",
    "meetings.attendance_substitute_line": "{name} – ersättare: {substitute}",
    "meetings.attendance_hint": "Sekreteraren för närvaro med *närvarande @Namn @Namn*; ta bort med *närvarande ta bort @Namn*.",
    "meetings.attendance_none": "Inga svar än.",
    "meetings.present_no_meeting": (
        "Inget möte har börjat än, så det finns ingen närvaro att föra. Skriv datumet först, "
        "till exempel *närvarande 4 december @Anna*."
    ),
    "meetings.too_many_names": (
        "Det var fler än {max} namn, så jag sparade ingenting. Skriv namnen igen i mindre delar, "
        "till exempel *närvarande @Anna @Peter, Sofia Adolfsson*."
    ),
    "meetings.present_none_given": "Vilka var där? Skriv till exempel *närvarande @Anna @Peter Sofia Adolfsson*.",
    "meetings.present_saved": (
        "Närvarande på mötet {when} ({count}): {names}.\n\n"
        "Lägg till fler med *närvarande @Namn*, ta bort med *närvarande ta bort @Namn*."
    ),
    "meetings.present_guests": "Inte i medlemslistan (skrivna som gäster): {names}.",
    "meetings.present_not_found": "Fanns inte med i närvarolistan: {names}.",
    # People ---------------------------------------------------------------------------------
    "meetings.person_not_found": "Jag hittar ingen ”{name}” i medlemslistan. Nämn personen med @, eller skriv **medlemmar** för att se alla.",
    "meetings.person_ambiguous": "”{name}” passar flera: {options}. Skriv hela namnet eller nämn personen med @.",
    # Municipalities -------------------------------------------------------------------------
    "meetings.municipality_set": "Klart! I medlemslistan står det nu att {name} kommer från {municipality}. Skriv **medlemmar** för att se alla.",
    "meetings.municipality_current": "Du står som {municipality} i medlemslistan. Byt med *kommun* och namnet, till exempel *kommun Töreboda*.",
    "meetings.municipality_none": "Du har ingen kommun i medlemslistan än. Skriv *kommun* och namnet, till exempel *kommun Skövde*. Kommunerna: {all}.",
    "meetings.municipality_unknown_close": "Jag känner inte igen kommunen ”{text}”. Menar du {options}? Skriv till exempel *kommun {first}*.",
    "meetings.municipality_unknown": "Jag känner inte igen kommunen ”{text}”. Kommunerna i nätverket är: {all}. Skriv till exempel *kommun Skövde*.",
    # Members and roles ----------------------------------------------------------------------
    "meetings.members_title": "Medlemmar ({count})",
    "meetings.members_summary": "Medlemmar: {count}",
    "meetings.members_no_municipality": "Kommun saknas",
    "meetings.members_missing_title": "Ingen medlem registrerad från",
    "meetings.members_hint": "Ange din kommun med *kommun Skövde*. Roller ges av ordföranden eller presidiet: *roll @Namn sekreterare*.",
    "meetings.role_usage": (
        "Skriv **roll**, personen och rollen, till exempel *roll @Anna sekreterare*. "
        "Ta bort en roll: *roll @Anna -sekreterare*. Rollerna är presidium, ordförande och sekreterare."
    ),
    "meetings.role_show": "{name} har rollerna: {roles}.",
    "meetings.role_changed": "Klart! {name} har nu rollerna: {roles}. Alla roller: **medlemmar**.",
    "meetings.role_unknown": "Jag känner inte igen rollen ”{role}”. Välj presidium, ordförande eller sekreterare, till exempel *roll @Anna sekreterare*.",
    "meetings.role_last_leader": (
        "Någon i nätverket måste ha kvar rollen ordförande eller presidium, annars kan ingen dela ut roller. "
        "Ge först rollen till någon annan."
    ),
    "meetings.role_member_always": "Alla är medlemmar, så den rollen går inte att ta bort.",
    "meetings.role.medlem": "medlem",
    "meetings.role.presidium": "presidium",
    "meetings.role.ordförande": "ordförande",
    "meetings.role.sekreterare": "sekreterare",
    # Calendar export ------------------------------------------------------------------------
    "meetings.ical_summary": "{name} – nätverksmöte",
    "meetings.ical_cancelled": "INSTÄLLT: {summary}",
    "meetings.ical_topics": "Planerat:",
    "meetings.place_too_long": (
        "Platsen är för lång ({length} tecken, högst {max}). Skriv bara adressen, rummet eller Teams-länken "
        "och försök igen. Inget sparades."
    ),
}

EN: dict[str, str] = {
    "meetings.list_title": "Coming meetings",
    "meetings.past_title": "Past meetings",
    "meetings.fact_place": "Place",
    "meetings.fact_topics": "Planned",
    "meetings.fact_answers": "Answers",
    "meetings.place_unknown": "Not decided yet",
    "meetings.answers_count": "{yes} coming, {no} not coming",
    "meetings.cancelled_label": "CANCELLED",
    "meetings.button_yes": "I'm coming",
    "meetings.button_no": "I'm not coming",
    "meetings.agenda_title": "Agenda",
    "meetings.confirm_question": "Save anyway? Answer **ja** (yes) or **nej** (no).",
}
