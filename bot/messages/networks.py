"""The networks a person's 1:1 chat works on (bot/features/networks.py), and the chat before any team."""

# How to add the bot to a team, said wherever a 1:1 chat has no network yet.
_ADD_TO_TEAM = (
    "Lägg till mig i nätverkets team: i Teams väljer du **Appar** → **SKIS-boten** → "
    "**Lägg till i ett team** och väljer nätverkets team (kan du inte lägga till appar där, "
    "be teamets ägare göra det). Sedan fungerar allt här i chatten också: möten, dagordning, "
    "incheckning och uppgifter gäller då det nätverket. Skriv **hjälp** för att se vad jag kan."
)

SV: dict[str, str] = {
    "networks.none": (
        "Jag är inte med i nätverkets team än, så här i chatten har jag inget nätverk att arbeta med, "
        "och jag har inte sparat något.\n\n" + _ADD_TO_TEAM
    ),
    "networks.greeting_none": "Hej {name}! Jag är SKIS-boten. Jag är inte med i nätverkets team än.\n\n" + _ADD_TO_TEAM,
    "networks.greeting_none_nameless": "Hej! Jag är SKIS-boten. Jag är inte med i nätverkets team än.\n\n" + _ADD_TO_TEAM,
    "networks.list_title": "Du är med i de här nätverken:",
    "networks.list_current": "{number}. **{name}** (det jag arbetar med här nu)",
    "networks.list_other": "{number}. {name}",
    "networks.list_footer": (
        "Skriv **nätverk** och numret eller namnet, till exempel **nätverk {example}**, för att byta. "
        "Det du gör här i chatten gäller sedan det nätverket, och jag kommer ihåg valet."
    ),
    "networks.only_one": (
        "Du är med i ett nätverk: **{name}**. Allt du gör här i chatten gäller det. "
        "Blir du med i fler nätverk där jag finns väljer du mellan dem med **nätverk**."
    ),
    "networks.chosen": (
        "Klart! Här i chatten arbetar jag nu med nätverket **{name}**, och jag kommer ihåg det. "
        "Skriv **möten** för att se dess kommande möten, eller **nätverk** för att byta igen."
    ),
    "networks.already": (
        "Jag arbetar redan med nätverket **{name}** här i chatten. "
        "Skriv **möten** för att se dess kommande möten, eller **nätverk** för att se alla dina nätverk."
    ),
    "networks.unknown_choice": (
        "Jag hittar inget nätverk ”{text}” bland dina, så jag bytte inte. "
        "Skriv **nätverk** för att se listan, och välj med numret, till exempel **nätverk 1**."
    ),
    "networks.in_channel": (
        "Här arbetar jag med nätverket **{name}**. I din personliga chatt med mig väljer du nätverk "
        "med **nätverk**, om du är med i flera."
    ),
    "networks.fallback": (
        "Nätverket **{old}** som du hade valt finns inte längre för dig (jag är borttagen därifrån, "
        "eller du har lämnat det). Nu arbetar jag med **{new}** här i chatten. "
        "Skriv **nätverk** för att välja ett annat."
    ),
    "networks.line": "(nätverk: {name})",
    "networks.legacy_name": "Din personliga chatt (sparad av en äldre version av boten)",
}
