"""Importing the network's earlier minutes (``skis-bot import-minutes``).

- ``extract``: a file (plain text, DOCX, PDF) -> its text as numbered paragraphs.
- ``repair``: scanned (OCR) text with broken å/ä/ö -> repaired paragraphs, every repair listed.
- ``parse``: paragraphs -> a structured import (date, place, attendance, decisions, action items,
  planned meetings), every field with its source paragraph and whether it is uncertain.
- ``store``: a parsed import -> the network's records, once (importing again changes nothing).
- ``cli``: the command.

``extract``, ``repair`` and ``parse`` are pure (no botbuilder, no storage).
"""
