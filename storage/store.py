"""The Store: one object that hands out the domain repositories over one engine."""

from __future__ import annotations

from storage.actions_repo import ActionsRepo
from storage.agenda_repo import AgendaRepo
from storage.attendance_repo import AttendanceRepo
from storage.checkins_repo import CheckinsRepo
from storage.decisions_repo import DecisionsRepo
from storage.engine import Engine
from storage.meetings_repo import MeetingsRepo
from storage.minutes_repo import MinutesRepo
from storage.reminders_repo import RemindersRepo
from storage.teams_repo import TeamsRepo


class Store:
    """Domain repositories sharing one engine. Built once per process by the entry point."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.teams = TeamsRepo(engine)
        self.agenda = AgendaRepo(engine)
        self.attendance = AttendanceRepo(engine)
        # Repositories get their collaborators here, so none imports another at import time.
        self.meetings = MeetingsRepo(engine, agenda=self.agenda, attendance=self.attendance)
        self.checkins = CheckinsRepo(engine)
        self.actions = ActionsRepo(engine)
        self.decisions = DecisionsRepo(engine)
        self.minutes = MinutesRepo(engine)
        self.reminders = RemindersRepo(engine)

    async def check(self) -> bool:
        return await self.engine.check()

    async def close(self) -> None:
        await self.engine.close()
