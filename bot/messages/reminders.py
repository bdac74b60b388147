"""Messages for the reminders area (see bot/messages/__init__.py)."""

SV: dict[str, str] = {
    # When, relative to the send day
    "reminders.in_days.0": "i dag",
    "reminders.in_days.1": "i morgon",
    "reminders.in_days.7": "om en vecka",
    "reminders.in_days": "om {days} dagar",
    # Channel reminder, a week before
    "reminders.week_title": "Nätverksmöte {day}",
    "reminders.week_intro": "Nätverket träffas {relative}. Här är det viktigaste inför mötet.",
    "reminders.fact_time": "Tid",
    "reminders.fact_place": "Plats",
    "reminders.agenda_so_far": "Dagordning hittills",
    "reminders.agenda": "Dagordning",
    "reminders.agenda_more": "… och {count} punkter till. Skriv **dagordning** för hela.",
    "reminders.agenda_hint": "Vill du ta upp något? Skriv **punkt** och rubriken, till exempel *punkt Nationellt kvalitetssystem*.",
    "reminders.checkin_heading": "Incheckning",
    "reminders.checkin_placeholder": "Skriv ditt svar här",
    "reminders.checkin_button": "Skicka svar",
    "reminders.checkin_hint": "Svara här, eller skriv incheckning och ditt svar i chatten.",
    "reminders.attend_question": "Kommer du? Tryck på en knapp, eller skriv **kommer** eller **kommer inte**.",
    "reminders.summary_week": "Nätverksmöte {day}: dagordning, incheckning och anmälan",
    # Channel reminder, the day before
    "reminders.day_title": "{relative_cap}: nätverksmöte {day}",
    "reminders.coming_heading": "Kommer ({count})",
    "reminders.nobody_coming": "Ingen har anmält sig än.",
    "reminders.substitute_row": "{substitute} (ersätter {name})",
    "reminders.missing_heading": "Kommuner som inte har anmält sig",
    "reminders.all_represented": "Alla kommuner har anmält sig. Tack!",
    "reminders.summary_day": "{relative_cap}: nätverksmöte {day}",
    # Presidium digest
    "reminders.digest_title": "Inför mötet {day}",
    "reminders.digest_intro": "Sammanfattning till presidiet och ordföranden. Mötet är {relative}, {when}.",
    "reminders.digest_proposed": "föreslagen av {name}",
    "reminders.digest_checkins": "Incheckning: {answered} av {total} har svarat",
    "reminders.digest_checkins_missing": "Inte svarat: {names}",
    "reminders.digest_checkins_question": "Frågan: *{question}*",
    "reminders.digest_attendance": "Anmälan per kommun",
    "reminders.digest_att_yes": "Kommer",
    "reminders.digest_att_no": "Kommer inte",
    "reminders.digest_att_none": "Inget svar",
    "reminders.digest_att_row": "{municipality} ({names})",
    "reminders.digest_actions": "Öppna uppgifter: {count}, varav {overdue} försenade",
    "reminders.digest_action_row": "**{number}** · {title} – {owners}",
    "reminders.digest_action_due": "klar {due}",
    "reminders.digest_action_overdue": "försenad, skulle vara klar {due}",
    "reminders.digest_actions_more": "… och {count} till. Skriv **uppgifter** för alla.",
    "reminders.digest_no_actions": "Inga öppna uppgifter.",
    "reminders.digest_minutes": "Förra mötets protokoll",
    "reminders.digest_minutes_confirmed": "Protokollet från {day} är godkänt.",
    "reminders.digest_minutes_open": "Protokollet från {day} är inte godkänt än.",
    "reminders.digest_no_previous": "Det finns inget tidigare möte.",
    "reminders.digest_decide": "Att ta ställning till före mötet",
    "reminders.decide_proposed": "Föreslagna punkter att ta med eller skjuta upp: {titles}",
    "reminders.decide_place": "Platsen är inte bestämd.",
    "reminders.decide_question": "Incheckningsfrågan är inte vald (annars blir det: *{question}*). Skriv **incheckningsfråga** och frågan.",
    "reminders.decide_minutes": "Protokollet från förra mötet behöver godkännas.",
    "reminders.decide_missing": "{count} kommuner har inte anmält sig än (se Anmälan per kommun).",
    "reminders.decide_nothing": "Inget just nu.",
    "reminders.summary_digest": "Inför mötet {day}: sammanfattning till presidiet",
    # Action items, 1:1
    "reminders.action_due_title": "Påminnelse om din uppgift",
    "reminders.action_due_text": "Uppgift **{number}** ska vara klar **{due}**:\n\n{title}",
    "reminders.action_overdue_title": "Uppgiften är försenad",
    "reminders.action_overdue_text": "Uppgift **{number}** skulle ha varit klar **{due}**:\n\n{title}",
    "reminders.action_owners": "Ansvarig: {owners}",
    "reminders.action_hint": "Tryck på **Klar** när den är gjord, eller skriv **klar {number}**. **mina uppgifter** visar alla dina uppgifter.",
    "reminders.summary_action_due": "Påminnelse: uppgift {number} ska vara klar {due}",
    "reminders.summary_action_overdue": "Uppgift {number} är försenad",
    # Minutes, 1:1 to the secretary
    "reminders.minutes_text": (
        "Hej {name}! Protokollet från mötet {day} är inte godkänt än. Skriv **protokoll** här för att "
        "granska utkastet och godkänna det, så kan det publiceras."
    ),
    # Settings in chat: `påminnelser`
    "reminders.kind.meeting_week": "Kallelse i kanalen",
    "reminders.kind.meeting_day": "Påminnelse i kanalen",
    "reminders.kind.digest": "Sammanfattning till presidiet",
    "reminders.kind.actions": "Påminnelse om uppgifter",
    "reminders.kind.minutes": "Påminnelse om protokollet (till sekreteraren)",
    "reminders.kind.roster": "Medlemslistan till regionen (till presidiet, i december)",
    "reminders.name.meeting_week": "kallelse",
    "reminders.name.meeting_day": "kanal",
    "reminders.name.digest": "presidiet",
    "reminders.name.actions": "uppgifter",
    "reminders.name.minutes": "protokoll",
    "reminders.name.roster": "medlemslista",
    "reminders.days.0": "samma dag",
    "reminders.days.1": "1 dag",
    "reminders.days": "{days} dagar",
    "reminders.when_before": "{days} före mötet kl. {time}",
    "reminders.when_same_day": "samma dag som mötet kl. {time}",
    "reminders.when_after": "{days} efter mötet kl. {time}",
    "reminders.when_new_year": "{days} före nyår kl. {time}",
    "reminders.roster_text": (
        "Hej {name}! Det är dags att skicka medlemslistan och datumen för nätverksträffarna {year} "
        "till {address}. {count} möten är inlagda för {year}. Skriv *medlemslista {year}* så får du listan "
        "att kopiera till mejlet; lägg först in de möten som saknas med *nytt möte*."
    ),
    "reminders.when_actions": "{days} före sista dagen kl. {time}, sedan en gång i veckan så länge den är försenad",
    "reminders.kind_off": "avstängd",
    "reminders.settings_title": "**Påminnelser** (svensk tid; lördag och söndag flyttas till närmaste vardag)",
    "reminders.settings_row": "- **{name}**: {kind}, {when}",
    "reminders.settings_all_off": "Alla påminnelser är avstängda just nu.",
    "reminders.settings_next": "Nästa: {kind} {when}.",
    "reminders.settings_none_planned": "Inga påminnelser är planerade just nu (det finns inga kommande möten eller uppgifter med sista dag).",
    "reminders.settings_help": (
        "Presidiet och ordföranden kan ändra, till exempel **påminnelser kallelse 6 dagar före kl 10**, **påminnelser presidiet kl 7.30**, "
        "**påminnelser uppgifter av**, eller stänga av och slå på allt med **påminnelser av** och **påminnelser på**."
    ),
    "reminders.saved_kind": "Sparat. {kind} skickas nu {when}. Skriv **påminnelser** för att se alla.",
    "reminders.saved_kind_on": "{kind} är påslagen igen: {when}.",
    "reminders.saved_kind_off": "{kind} är avstängd. Skriv **påminnelser {name} på** för att slå på den igen.",
    "reminders.saved_all_on": "Påminnelserna är på igen. Skriv **påminnelser** för att se när de skickas.",
    "reminders.saved_all_off": "Alla påminnelser är avstängda. Skriv **påminnelser på** för att slå på dem igen.",
    "reminders.saved_but_all_off": "Obs: alla påminnelser är avstängda just nu. Skriv **påminnelser på** för att slå på dem.",
    "reminders.ask_which": (
        "Vilken påminnelse menar du? Skriv namnet först, till exempel **påminnelser kallelse {example}**. "
        "Namnen är **kallelse**, **kanal**, **presidiet**, **uppgifter** och **protokoll**."
    ),
    "reminders.not_understood": (
        "Jag förstod inte ”{text}”. Skriv till exempel **påminnelser kallelse 6 dagar före kl 10**, "
        "**påminnelser presidiet av** eller bara **påminnelser** för att se hur det är nu."
    ),
    "reminders.bad_days": "Antalet dagar ska vara mellan 0 och {max}, till exempel **påminnelser {name} 3 dagar {direction} kl 9**.",
    "reminders.bad_time": "Jag förstod inte tiden ”{text}”. Skriv till exempel **kl 9** eller **kl 8.30**.",
    "reminders.only_after": "Protokollpåminnelsen skickas efter mötet. Skriv till exempel **påminnelser protokoll 3 dagar efter kl 9**.",
    "reminders.only_before": "{kind} skickas före. Skriv till exempel **påminnelser {name} 3 dagar före kl 9**.",
    "reminders.direction.before": "före",
    "reminders.direction.after": "efter",
    # The two channel reminders: the kallelse (with the check-in box) first, then kanal.
    "reminders.channel_order": "I kanalen kommer först kallelsen ({week}) och sedan påminnelsen ({day}).",
    "reminders.channel_order_refused": (
        "Det ändrade jag inte: då skulle påminnelsen i kanalen ({day}) gå ut före eller samtidigt som "
        "kallelsen ({week}), och kallelsen med incheckningsfrågan och Jag kommer-knapparna ska komma först. "
        "Välj en tid närmare mötet för **kanal**, till exempel **påminnelser kanal dagen före**, "
        "flytta kallelsen tidigare med **påminnelser kallelse {suggest} före**, "
        "eller stäng av en av dem (**påminnelser kanal av**)."
    ),
    "reminders.same_day_after_start": (
        "Det ändrade jag inte: mötet {meeting} har redan börjat kl. {time}, så påminnelsen **{name}** samma dag "
        "skulle aldrig skickas för det. Välj en tid före mötet, till exempel **påminnelser {name} samma dag kl 7**, "
        "eller **påminnelser {name} dagen före**."
    ),
    "reminders.same_day_note": "Obs: samma dag skickas den bara till möten som börjar efter kl. {time}.",
    "reminders.channel_order_warning": (
        "Obs: påminnelsen i kanalen ({day}) går ut före kallelsen ({week}). Båda skickas, men i fel ordning: "
        "skriv till exempel **påminnelser kanal dagen före**."
    ),
}

EN: dict[str, str] = {
    "reminders.in_days.0": "today",
    "reminders.in_days.1": "tomorrow",
    "reminders.in_days.7": "in a week",
    "reminders.in_days": "in {days} days",
    "reminders.week_title": "Network meeting {day}",
    "reminders.week_intro": "The network meets {relative}. Here is what you need to know.",
    "reminders.fact_time": "Time",
    "reminders.fact_place": "Place",
    "reminders.agenda_so_far": "Agenda so far",
    "reminders.agenda": "Agenda",
    "reminders.checkin_heading": "Check-in",
    "reminders.checkin_placeholder": "Type your answer here",
    "reminders.checkin_button": "Send answer",
    "reminders.attend_question": "Are you coming? Press a button, or type **kommer** or **kommer inte**.",
    "reminders.coming_heading": "Coming ({count})",
    "reminders.nobody_coming": "Nobody has said they are coming yet.",
    "reminders.missing_heading": "Municipalities not yet signed up",
    "reminders.all_represented": "Every municipality has signed up. Thank you!",
    "reminders.digest_title": "Before the meeting {day}",
}
