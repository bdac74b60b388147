"""Messages of the service itself: welcome, help, errors, fallbacks."""

SV: dict[str, str] = {
    "core.welcome_team": (
        "Hej {team}! Jag är SKIS-boten. Jag håller ordning på nätverkets möten, dagordning, "
        "incheckning, uppgifter, beslut och protokoll, och påminner före varje fredagsmöte.\n\n"
        "Börja med att skriva **kommun** och din kommun, till exempel *kommun Skövde*. "
        "Skriv **hjälp** när du vill se allt jag kan."
    ),
    "core.welcome_personal_nameless": (
        "Hej! Jag är SKIS-boten. Här kan du svara på incheckningen, se dina uppgifter och "
        "anmäla om du kommer till nästa möte, utan att skriva i kanalen. Det du gör här gäller nätverket **{network}**.\n\n"
        "Skriv **hjälp** för att se vad du kan göra, eller **möten** för att se kommande möten."
    ),
    "core.welcome_personal": (
        "Hej {name}! Jag är SKIS-boten. Här kan du svara på incheckningen, se dina uppgifter och "
        "anmäla om du kommer till nästa möte, utan att skriva i kanalen. Det du gör här gäller nätverket **{network}**.\n\n"
        "Skriv **hjälp** för att se vad du kan göra, eller **möten** för att se kommande möten."
    ),
    "core.welcome_member": "Välkommen till nätverket, {name}! Skriv **kommun** och din kommun, till exempel *kommun Hjo*, så vet jag var du kommer ifrån.",
    "core.help_title": "Det här kan jag hjälpa till med",
    "core.help_intro": "Skriv ett kommando här i chatten (i kanalen: nämn mig först, @SKIS-boten). Varje rad börjar med kommandot i fetstil; texten i kursiv är exempel.",
    "core.help_footer": "Mitt i en fråga från mig kan du alltid skriva **avbryt**. Frågor om boten? Kontakta presidiet.",
    "core.help_group_meetings": "Möten",
    "core.help_group_attendance": "Närvaro och medlemmar",
    "core.help_group_checkin": "Incheckning",
    "core.help_group_actions": "Uppgifter",
    "core.help_group_decisions": "Beslut",
    "core.help_group_minutes": "Protokoll, rapporter och påminnelser",
    "core.help.meetings": "**möten** – kommande möten; **tidigare möten** visar dem som har varit",
    "core.help.new_meeting": "**nytt möte** – till exempel *nytt möte fredag 4 december kl 9-12 Regionens hus, Skövde*",
    "core.help.change_meeting": "**flytta möte** och **ställ in möte** – till exempel *flytta möte 4 december till 11 december*",
    "core.help.agenda": "**dagordning** – dagordningen för nästa möte",
    "core.help.agenda_item": "**punkt** – föreslå en punkt, till exempel *punkt Nationellt kvalitetssystem*",
    "core.help.attend": "**kommer**, **kommer inte** eller **ersättare** – anmäl dig, till exempel *ersättare Anna Svensson*",
    "core.help.municipality": "**kommun** – ange din kommun, till exempel *kommun Töreboda*",
    "core.help.members": "**medlemmar** – medlemmarna per kommun; **roll** ger roller, till exempel *roll @Namn sekreterare*",
    "core.help.checkin": "**incheckning** – svara på incheckningsfrågan, gärna direkt: *incheckning Jag tog med mig …*",
    "core.help.checkins": "**incheckningar** – vilka som har checkat in och vad de svarade",
    "core.help.checkout": "**utcheckning** – i slutet av mötet: *utcheckning Jag tar med mig …*; alla svar: **utcheckningar**",
    "core.help.action_item": "**uppgift** – en ny uppgift: *uppgift Mejla inbjudan till SKIS-gruppen @Anna till 4 december*",
    "core.help.action_items": "**uppgifter** och **mina uppgifter** – de öppna uppgifterna; **klar** bockar av en: *klar 12*",
    "core.help.decision": "**beslut** – ett nytt beslut: *beslut Skövde och Tibro presenterar Bästa skola på nästa möte*; under en punkt: *beslut punkt 3: …*",
    "core.help.decision_log": "**beslutslogg** – sök bland besluten: *beslutslogg bästa skola*",
    "core.help.minutes": "**protokoll** – utkastet till minnesanteckningar, som sekreteraren godkänner",
    "core.help.reminders": "**påminnelser** – se och ändra när påminnelserna skickas",
    "core.help.reports": "**årsrapport** och **medlemslista** – årets rapport och listan till regionen (presidiet, ordföranden)",
    "core.help.import": "**importera** – lägg in tidigare minnesanteckningar: skicka filen till mig i chatten",
    "core.help_group_privacy": "Om dig",
    "core.help.my_data": "**mina data** – se vad jag har sparat om dig; **radera mina svar** tar bort dina incheckningssvar",
    "core.help.networks": "**nätverk** – vilket nätverk chatten med mig gäller, om du är med i flera; *nätverk 2* byter",
    "core.not_understood": (
        "Jag förstod inte riktigt ”{text}”. Skriv **hjälp** för att se vad jag kan, "
        "eller till exempel **möten**, **dagordning** eller **uppgifter**. Du kan också fråga "
        "*när är nästa möte?* eller *vem är ordförande?*"
    ),
    "core.not_understood_close": "Menade du **{suggestion}**? Skriv det igen, eller **hjälp** för alla kommandon.",
    "core.empty_message": "Jag fick ett tomt meddelande. Skriv **hjälp** för att se vad jag kan.",
    "core.error": (
        "Något gick fel hos mig, förlåt! Det du redan sparat finns kvar. Försök igen om en stund, "
        "eller skriv **hjälp**."
    ),
    "core.not_saved": (
        "Jag kunde inte spara det just nu, så inget har ändrats. Försök igen om en stund; "
        "säg till presidiet om det fortsätter."
    ),
    "core.cancelled": "Okej, jag har avbrutit. Inget sparades. Skriv **hjälp** om du vill göra något annat.",
    "core.nothing_to_cancel": "Det finns inget att avbryta. Skriv **hjälp** för att se vad jag kan.",
    "core.reply_with_mention": "Svara med **@SKIS-boten** först i ditt meddelande, annars når svaret inte fram till mig.",
    "core.question_left": "Okej, jag lämnar frågan jag ställde (inget från den är sparat) och gör det du skrev i stället.",
    "core.question_still_open": "Frågan jag ställde innan väntar fortfarande på ditt svar. Skriv **avbryt** om du inte vill svara.",
    "core.dialog_hint": "(Skriv **avbryt** för att avbryta.)",
    "core.dialog_lost": "Frågan jag ställde gick inte att fortsätta efter en omstart, så inget sparades. Börja gärna om, till exempel med **{command}**.",
    "core.card_unknown": "Den knappen känner jag inte igen längre. Skriv **hjälp** för att se vad du kan göra nu.",
    "core.card_done": "Klart!",
    "core.role_required": "Det får bara {roles} göra. Be någon av dem, eller skriv **medlemmar** för att se vilka de är.",
    "core.role.medlem": "medlem",
    "core.role.presidium": "presidiet",
    "core.role.ordförande": "ordföranden",
    "core.role.sekreterare": "sekreteraren",
    "core.or": "eller",
    "core.not_in_network": "Du finns inte i nätverkets medlemslista än. Be ordföranden lägga till dig, eller skriv **hjälp**.",
    "core.card_network_unknown": (
        "Det här kortet är från innan korten visste vilket nätverk de gäller, och du är med i flera nätverk, "
        "så jag gjorde ingenting. Skriv kommandot i nätverkets kanal i stället, till exempel **klar 3** "
        "eller **kommer**, eller skriv **hjälp**."
    ),
    "core.card_not_your_network": (
        "Det här kortet gäller ett nätverk som du inte är med i (längre), så jag gjorde ingenting. "
        "Skriv **hjälp** för att se vad du kan göra."
    ),
    "core.card_other_network": (
        "Det här kortet gäller ett annat nätverk än det här, så jag gjorde ingenting. "
        "Använd kortet där det skickades, eller skriv kommandot i det nätverkets kanal."
    ),
    "core.language_usage": (
        "Nätverkets språk är {language}. Det gäller allt jag skriver i kanalen och på korten alla ser. "
        "Presidiet eller sekreteraren byter det med **språk svenska** eller **språk engelska**."
    ),
    "core.language_only_roles": (
        "Bara presidiet eller sekreteraren kan byta nätverkets språk. Det är {language} nu. "
        "Skriv **medlemmar** för att se vilka de är."
    ),
    "core.language_incomplete": (
        "Jag kan inte skriva allt på {language} än, och ett svar får aldrig blanda två språk. "
        "Därför fortsätter jag på svenska. Skriv **hjälp** för att se vad jag kan göra."
    ),
    "core.language_set": (
        "Klart! Nätverkets språk är nu {language}. Jag skriver så i kanalen, på korten och i påminnelserna. "
        "Skriv **hjälp** för att se vad jag kan göra."
    ),
    "core.language_name.sv": "svenska",
    "core.language_name.en": "engelska",
}

EN: dict[str, str] = {
    "core.welcome_team": (
        "Hello {team}! I am the SKIS bot. I keep track of the network's meetings, agenda, check-ins, "
        "action items, decisions and minutes, and send reminders before each Friday meeting.\n\n"
        "Start by typing **kommun** and your municipality, for example *kommun Skövde*. "
        "Type **help** to see everything I can do."
    ),
    "core.welcome_personal_nameless": (
        "Hi! I am the SKIS bot. Here you can answer the check-in, see your action items and tell "
        "whether you are coming to the next meeting. What you do here applies to the network **{network}**.\n\nType **help** to see what you can do."
    ),
    "core.welcome_personal": (
        "Hi {name}! I am the SKIS bot. Here you can answer the check-in, see your action items and tell "
        "whether you are coming to the next meeting. What you do here applies to the network **{network}**.\n\nType **help** to see what you can do."
    ),
    "core.help_title": "What I can help with",
    "core.help_intro": "Type a command in the chat (in a channel, mention me first). Italic text shows examples; commands are in Swedish.",
    "core.help_footer": "While I am asking you something you can always type **avbryt** (cancel).",
    "core.not_understood": "I did not quite understand \"{text}\". Type **help** to see what I can do.",
    "core.error": "Sorry, something went wrong on my side. What you saved before is still there. Please try again shortly.",
    "core.not_saved": "I could not save that just now, so nothing was changed. Please try again shortly.",
    "core.cancelled": "OK, cancelled. Nothing was saved.",
    "core.reply_with_mention": "Reply with **@SKIS-boten** first in your message, otherwise your answer does not reach me.",
    "core.question_left": "OK, I am leaving the question I asked (nothing from it was saved) and doing what you wrote instead.",
    "core.question_still_open": "The question I asked before is still waiting for your answer. Type **avbryt** if you do not want to answer.",
    "core.role_required": "Only {roles} may do that. Type **medlemmar** to see who they are.",
    "core.card_network_unknown": (
        "This card is from before cards knew which network they belong to, and you are in several networks, "
        "so I did nothing. Type the command in the network's channel instead, for example **klar 3**, or type **help**."
    ),
    "core.card_not_your_network": "This card belongs to a network you are not (or no longer) in, so I did nothing. Type **help** to see what you can do.",
    "core.card_other_network": "This card belongs to another network than this one, so I did nothing. Use the card where it was sent.",
    "core.language_set": (
        "Done! The network's language is now {language}. I write in it in the channel, on the cards and in the reminders. "
        "Type **help** to see what I can do."
    ),
    "core.language_name.sv": "Swedish",
    "core.language_name.en": "English",
}
