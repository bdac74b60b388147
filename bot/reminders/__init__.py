"""Scheduled reminders before the Friday meetings, the presidium's digest, and action item nudges.

- ``schedule``: pure arithmetic (which reminders exist, when each is due).
- ``jobs``: reads the stored state, renders and sends what is due, records each send.
- ``notifier``: proactive sending through stored conversation references, with retries and rate limits.
- ``scheduler``: wakes up at the next due instant (APScheduler on the event loop).
- ``cli`` / ``admin``: ``skis-bot reminders list|run`` and the local admin route they use.
"""
