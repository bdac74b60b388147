"""Messages for the dates area (see bot/messages/__init__.py).

Questions asked when a typed date or time could not be read safely (bot/dates.py). Each one says
what was understood and gives an example to type. Parameters ending in ``_en`` are the same value
formatted in English; the Swedish texts use the plain names.
"""

SV: dict[str, str] = {
    "dates.empty": "Jag behöver ett datum. Skriv till exempel: {example}",
    "dates.unparseable": "Jag förstod inte datumet ”{text}”. Skriv till exempel: {example}",
    "dates.extra_text": (
        "Jag förstod {understood}, men inte ”{rest}”. Skriv bara dag och tid, till exempel: {example}"
    ),
    "dates.missing_date": (
        "Jag förstod tiden {time}, men inte vilken dag. Skriv dagen också, till exempel: {example}"
    ),
    "dates.missing_day": "Vilken dag i {month}? Skriv till exempel: {example}",
    "dates.week_without_day": "Vilken dag i vecka {week}? Skriv till exempel: {example}",
    "dates.part_of_day": (
        "Vilken tid menar du med ”{text}”? Skriv klockslaget, till exempel kl. {example}"
    ),
    "dates.vague": (
        "Jag förstod inte ”{text}” som en dag eller en tid. Skriv dag och tid, till exempel: {example}"
    ),
    "dates.next_weekday_ambiguous": (
        "Menar du {near} (den här veckan) eller {far} (nästa vecka)? Skriv datumet, till exempel: {example}"
    ),
    "dates.impossible_date": (
        "Det finns ingen {date}, {month} har bara {days} dagar. Skriv datumet igen, till exempel: {example}"
    ),
    "dates.impossible_week": "Det finns ingen vecka {week} år {year}. Skriv till exempel: {example}",
    "dates.impossible_time": (
        "Klockslaget {time} finns inte. Skriv tiden till exempel som kl. 9, kl. 9.30 eller 13.00–15.00."
    ),
    "dates.weekday_mismatch": (
        "Den {date} är en {actual}, inte en {given}. Menar du {suggestion}? "
        "Skriv datumet igen, till exempel: {example}"
    ),
    "dates.end_before_start": (
        "Sluttiden {end} är inte efter starttiden {start}. Skriv tiden igen, till exempel: {example}"
    ),
    "dates.nonexistent_time": (
        "Klockan {time} finns inte den {date}, för då ställs klockan fram en timme till sommartid. "
        "Välj en annan tid, till exempel: {example}"
    ),
    "dates.unparseable_time": (
        "Jag förstod inte tiden ”{text}”. Skriv till exempel kl. 9, 13.00 eller 9–12."
    ),
    "dates.end_before_start_time": (
        "Sluttiden {end} är inte efter starttiden {start}. Skriv tiden igen, till exempel 9–12."
    ),
}

EN: dict[str, str] = {
    "dates.empty": "I need a date. For example: {example_en}",
    "dates.unparseable": "I could not read the date “{text}”. For example, type: {example_en}",
    "dates.extra_text": (
        "I understood {understood_en}, but not “{rest}”. "
        "Please type only the day and time, for example: {example_en}"
    ),
    "dates.missing_date": (
        "I understood the time {time_en}, but not which day. Please add the day, for example: {example_en}"
    ),
    "dates.missing_day": "Which day in {month_en}? For example, type: {example_en}",
    "dates.week_without_day": "Which day in week {week}? For example, type: {example_en}",
    "dates.part_of_day": "What time do you mean by “{text}”? Please type the time, for example {example_en}",
    "dates.vague": "I could not read “{text}” as a day or a time. Please type day and time, for example: {example_en}",
    "dates.next_weekday_ambiguous": (
        "Do you mean {near_en} (this week) or {far_en} (next week)? Please type the date, for example: {example_en}"
    ),
    "dates.impossible_date": (
        "There is no {date_en}, {month_en} has only {days} days. "
        "Please type the date again, for example: {example_en}"
    ),
    "dates.impossible_week": "There is no week {week} in {year}. For example, type: {example_en}",
    "dates.impossible_time": ("There is no time {time}. Type the time like 9, 9:30 or 13:00–15:00."),
    "dates.weekday_mismatch": (
        "{date_en} is a {actual_en}, not a {given_en}. Did you mean {suggestion_en}? "
        "Please type the date again, for example: {example_en}"
    ),
    "dates.end_before_start": (
        "The end time {end_en} is not after the start time {start_en}. "
        "Please type the time again, for example: {example_en}"
    ),
    "dates.nonexistent_time": (
        "The time {time_en} does not exist on {date_en}, because the clocks go forward an hour for summer time. "
        "Please choose another time, for example: {example_en}"
    ),
    "dates.unparseable_time": "I could not read the time “{text}”. For example, type 9, 13:00 or 9–12.",
    "dates.end_before_start_time": (
        "The end time {end_en} is not after the start time {start_en}. "
        "Please type the time again, for example 9–12."
    ),
}
