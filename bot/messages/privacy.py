"""Messages about a person's own data: what is stored, deleting answers."""

SV: dict[str, str] = {
    "privacy.in_channel": (
        "Det du har sparat hos mig visar jag bara i vår privata chatt. Öppna chatten med mig "
        "(SKIS-boten) och skriv **mina data** där."
    ),
    "privacy.title": "**Det här har jag sparat om dig i {team}**",
    "privacy.register": "**Medlemslistan:** {name}, {municipality}. Roller: {roles}. Med sedan {joined}.",
    "privacy.no_municipality": "ingen kommun angiven",
    "privacy.register_email": "**E-post** (från teamets medlemslista i Teams, till medlemslistan som skickas till regionen): {email}",
    "privacy.answers_none": "**Incheckning och utcheckning:** inga sparade svar.",
    "privacy.answers_title": "**Dina svar på incheckning och utcheckning ({count} st):**",
    "privacy.answer_line": "- {date}, {kind}: {answer}",
    "privacy.answers_more": "- … och {count} till.",
    "privacy.items": "**Uppgifter där du är ansvarig:** {owned} (varav {open} öppna). Uppgifter du har skrivit in: {created}.",
    "privacy.decisions": "**Beslut du har skrivit in:** {count}.",
    "privacy.retention": "Svar på incheckning och utcheckning raderas automatiskt efter {days} dagar.",
    "privacy.retention_off": "Svar på incheckning och utcheckning sparas tills du raderar dem.",
    "privacy.footer": (
        "Skriv **radera mina svar** för att radera alla dina svar på incheckning och utcheckning. "
        "Vill du att allt om dig tas bort ur medlemslistan och uppgifterna? Be presidiet, så hjälper "
        "driftansvarig till. Godkända protokoll är allmänna handlingar och sparas."
    ),
    "privacy.delete_none": "Du har inga sparade svar på incheckning eller utcheckning här. Skriv **mina data** för att se vad jag har sparat om dig.",
    "privacy.delete_confirm": (
        "Antal sparade svar från dig på incheckning och utcheckning: {count}. Vill du radera alla? "
        "Skriv **radera mina svar ja**. Det går inte att ångra."
    ),
    "privacy.deleted": "Klart! Jag har raderat dina svar på incheckning och utcheckning ({count} st). Skriv **mina data** för att se vad som finns kvar.",
    "privacy.delete_in_channel": (
        "Dina svar raderar jag bara i vår privata chatt, så att ingen annan ser det. Öppna chatten med "
        "mig (SKIS-boten) och skriv **radera mina svar** där."
    ),
    "privacy.kind.checkin": "incheckning",
    "privacy.kind.checkout": "utcheckning",
}

EN: dict[str, str] = {
    "privacy.delete_in_channel": "I only delete your answers in our private chat. Open a chat with me and type **radera mina svar** there.",
    "privacy.in_channel": "I only show what I have stored about you in our private chat. Open a chat with me and type **mina data** there.",
    "privacy.title": "**What I have stored about you in {team}**",
    "privacy.register": "**Member list:** {name}, {municipality}. Roles: {roles}. Member since {joined}.",
    "privacy.no_municipality": "no municipality given",
    "privacy.register_email": "**Email** (from the team's member list in Teams, for the member list sent to the region): {email}",
    "privacy.answers_none": "**Check-in and check-out:** no answers stored.",
    "privacy.answers_title": "**Your check-in and check-out answers ({count}):**",
    "privacy.answers_more": "- … and {count} more.",
    "privacy.items": "**Action items you own:** {owned} ({open} open). Action items you entered: {created}.",
    "privacy.decisions": "**Decisions you entered:** {count}.",
    "privacy.retention": "Check-in and check-out answers are deleted automatically after {days} days.",
    "privacy.retention_off": "Check-in and check-out answers are kept until you delete them.",
    "privacy.footer": (
        "Type **radera mina svar** to delete all your check-in and check-out answers. To have everything "
        "about you removed from the member list and action items, ask the presidium. Confirmed minutes "
        "are public records and are kept."
    ),
    "privacy.delete_none": "You have no check-in or check-out answers stored here.",
    "privacy.delete_confirm": (
        "You have {count} check-in and check-out answers stored. To delete them all, type "
        "**radera mina svar ja**. This cannot be undone."
    ),
    "privacy.deleted": "Done! I deleted your {count} check-in and check-out answers.",
    "privacy.kind.checkin": "check-in",
    "privacy.kind.checkout": "check-out",
}
