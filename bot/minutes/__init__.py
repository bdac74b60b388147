"""Minutes: building the draft from a meeting's records and writing it as Markdown, HTML or Word."""
