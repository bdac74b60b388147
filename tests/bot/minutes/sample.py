"""A realistic meeting, as the network's own minutes describe one, for the draft and renderer tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.minutes.draft import (
    CHAIR,
    SECRETARY,
    AgendaEntry,
    Attendee,
    DraftSources,
    Officer,
    Publication,
    Upcoming,
    build_draft,
)
from storage.actions_repo import ALL, DONE, MEMBER, ActionItem, Owner
from storage.checkins_repo import CHECKIN, CHECKOUT, CheckinAnswer
from storage.decisions_repo import Decision
from storage.meetings_repo import Meeting
from storage.minutes_repo import MinutesVersion, content_hash

TZ = ZoneInfo("Europe/Stockholm")
TEAM = "19:skis@thread.tacv2"
START = datetime(2023, 5, 26, 6, 30, tzinfo=UTC)  # fredag 26 maj 2023 kl. 08.30
NASTY = "<script>alert('x')</script> & *fet* _kursiv_ [länk](http://x) # rubrik | `kod`"


def meeting() -> Meeting:
    return Meeting(id="20230526", team_key=TEAM, starts_at=START, ends_at=START + timedelta(hours=3, minutes=30),
                   location="Skövde stadshus", topics=("Nationellt kvalitetssystem",))


def answer(key: str, name: str, text: str, kind: str = CHECKIN) -> CheckinAnswer:
    return CheckinAnswer(TEAM, "20230526", key, kind, "Vad tog du med från förra mötet?" if kind == CHECKIN else "Varför jobbar du där du är?",
                         text, START + timedelta(minutes=10), member_name=name)


def decision(number: int, text: str, item: int | None, minutes: int = 60) -> Decision:
    return Decision(id=f"d{number}", team_key=TEAM, meeting_id="20230526", number=number, text=text, recorded_by="anna",
                    recorded_at=START + timedelta(minutes=minutes), agenda_item=item)


def sources(**changes: object) -> DraftSources:
    base = dict(
        network="SKIS",
        meeting=meeting(),
        tz=TZ,
        attendees=(
            Attendee("Hans Bäckström", "Karlsborg"),
            Attendee("Anders Warnby", "Skövde", substitute_for="Peter Stark"),
            Attendee("Susanne Sandgren", "Skaraborgs kommunalförbund", guest=True),
        ),
        officers=(Officer(CHAIR, "Anna Gustafsson", "Götene"), Officer(SECRETARY, "Sofia Adolfsson", "Lidköping")),
        agenda=(
            AgendaEntry("standing-laget-runt", 2, "Laget runt"),
            AgendaEntry("t1", 3, "Nationellt kvalitetssystem, vad innebär det för oss i Skaraborg",
                        "Susanne går igenom uppdragsbeskrivningen.\n- Kvalitet\n- Likvärdighet"),
            AgendaEntry("p1", 4, "Erfarenheter och lärdomar kvalitetsdialog, Tidaholm", ""),
            AgendaEntry("standing-ovriga-fragor", 5, "Övriga frågor", NASTY),
        ),
        checkin_question="Vad tog du med från förra mötet?",
        checkins=(answer("hans", "Hans Bäckström", "Nyfikenhet"), answer("anna", "Anna Gustafsson", "Bästa skola")),
        checkout_question="Varför jobbar du där du är?",
        checkouts=(answer("anna", "Anna Gustafsson", "Eleverna", CHECKOUT),),
        decisions=(
            decision(7, "Skövde och Tibro presenterar hur de arbetar med Bästa skola på mötet 1 juni 2018.", 3),
            # Recorded before any decision tied to an item: under no item, so "Övriga beslut".
            decision(8, "Tim Andersson är välkommen tillbaka.", None, minutes=20),
        ),
        action_items=(
            ActionItem(id="a1", team_key=TEAM, number=12, title="Mejla inbjudan till SKIS-gruppen", owners=(Owner(MEMBER, "Anna Gustafsson", "anna"),),
                       created_by="anna", created_at=START, meeting_id="20230526", due=date(2023, 6, 9), due_next_meeting=True),
            ActionItem(id="a2", team_key=TEAM, number=13, title="Nämna detta för respektive skolchef", owners=(Owner(ALL, "alla"),),
                       created_by="anna", created_at=START, meeting_id="20230526", status=DONE),
        ),
        upcoming=(
            Upcoming(Meeting(id="20230609", team_key=TEAM, starts_at=datetime(2023, 6, 9, 6, 30, tzinfo=UTC),
                             ends_at=datetime(2023, 6, 9, 10, 0, tzinfo=UTC), location="Teams"), ("UP2, Utvecklingsplaner",)),
        ),
        municipalities={"anna": "Götene", "hans": "Karlsborg"},
    )
    base.update(changes)
    return DraftSources(**base)  # type: ignore[arg-type]


def draft_pub() -> Publication:
    content = build_draft(sources())
    return Publication(content=content, status="draft", revision=3)


def confirmed_pub(**changes: object) -> Publication:
    content = build_draft(sources())
    version = MinutesVersion(TEAM, "20230526", 1, content, content_hash(content), "sofia", datetime(2023, 5, 29, 12, 0, tzinfo=UTC),
                             confirmed_by_name="Sofia Adolfsson", draft_revision=3)
    pub = Publication.of_version(version)
    return replace(pub, **changes) if changes else pub
