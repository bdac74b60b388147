"""A card acts on the network it came from, never on the person's first one.

Anna and Peter are in two networks: T (joined first, so a 1:1 chat defaults to it) and G. Both
have the same records under the same ids: item 1, a meeting on the same Friday, minutes of the
same earlier meeting. Every card verb, clicked in a 1:1 chat on a card of network G, changes G
and leaves T as it was; through an Action.Execute invoke and through an Action.Submit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from bot.app import SERVICES_KEY
from bot.cards import NETWORK, plain_text
from bot.features.minutes import COSIGN_SETTING
from bot.messages import t
from bot.routing import (
    ACTION_ACTION_DONE,
    ACTION_ACTION_ITEM_FORM,
    ACTION_ACTION_ITEMS_PAGE,
    ACTION_ATTEND_NO,
    ACTION_ATTEND_YES,
    ACTION_CHECKIN,
    ACTION_HELP,
    ACTION_IMPORT_CONFIRM,
    ACTION_MEETING_ABORT,
    ACTION_MEETING_CONFIRM,
    ACTION_MINUTES_APPROVE,
    ACTION_MINUTES_CORRECT,
    ACTION_MINUTES_COSIGN,
    ACTION_MINUTES_REFRESH,
    ACTION_MINUTES_REQUEST_CHANGE,
    ACTION_MINUTES_SAVE,
    CARD_ACTIONS,
)
from bot.rules.meetings import CREATE, Draft
from storage.actions_repo import MEMBER, Owner
from storage.attendance_repo import NO, YES, AttendanceAnswer
from storage.meetings_repo import Meeting
from tests.bot.importing.test_teams import SCANNED, Files
from tests.harness import ANNA, PETER, SOFIA, TEAM_ID, Harness, User

T = TEAM_ID
G = "19:other-network@thread.tacv2"
COMING = date(2026, 11, 27)  # the Friday after the harness's Monday
PAST = date(2026, 11, 20)


def _id(day: date) -> str:
    return day.strftime("%Y%m%d")


def in_network(activity: dict[str, Any], team: str) -> dict[str, Any]:
    """``activity`` as if sent in ``team``'s general channel."""
    activity["conversation"] = {**activity["conversation"], "id": team}
    activity["channelData"] = {**activity["channelData"], "team": {"id": team, "name": "G" if team == G else "T"}, "channel": {"id": team}}
    return activity


async def install_network(h: Harness, team: str, roster: list[User]) -> None:
    h.connector.members[team] = [u.account() for u in roster]
    resp = await h.post(in_network(h.team_install(roster[0]), team))
    assert resp.status == 200


async def set_roles(h: Harness, team: str, user: User, *roles: str) -> None:
    member = await h.store.teams.get_member(team, user.aad)
    assert member is not None
    await h.store.teams.save_member(team, replace(member, roles=frozenset({"medlem", *roles})))


async def channel_invoke(h: Harness, team: str, verb: str, data: dict[str, Any], user: User) -> dict[str, Any]:
    resp = await h.post(in_network(h.invoke(verb, data, user), team))
    assert resp.status == 200
    return await resp.json()


def meeting_at(team: str, day: date) -> Meeting:
    start = datetime.combine(day, time(8, 0), tzinfo=UTC)
    return Meeting(id=_id(day), team_key=team, starts_at=start, ends_at=start + timedelta(hours=3), location="Skövde",
                   topics=("Kvalitetsarbete",), created_at=datetime(2026, 9, 1, tzinfo=UTC))


async def two_networks(h: Harness) -> None:
    """T then G, Anna the secretary and Peter the chair in both, the same records in both."""
    await h.install(ANNA, roster=[ANNA, PETER, SOFIA])
    await install_network(h, G, [ANNA, PETER])
    for team in (T, G):
        await set_roles(h, team, ANNA, "sekreterare")
        await set_roles(h, team, PETER, "ordförande")
        for day in (COMING, PAST):
            await h.store.meetings.save(meeting_at(team, day))
        # Someone was there: minutes with nobody present are not confirmed.
        await h.store.attendance.answer(AttendanceAnswer(team, _id(PAST), PETER.aad, PETER.name, YES, h.clock.now(), "Skövde"))
        await h.store.actions.create(team, title=f"Uppgift i {team[:8]}", owners=(Owner(MEMBER, ANNA.name, ANNA.aad),),
                                     created_by=ANNA.aad, created_at=h.clock.now())
    assert [t.key for t in await _networks(h, ANNA)] == [T, G]


async def _networks(h: Harness, user: User) -> list[Any]:
    return [await h.store.teams.get_team(k) for k in await h.store.teams.teams_of_person(user.aad)]


async def minutes_drafted(h: Harness) -> None:
    for team in (T, G):
        await channel_invoke(h, team, ACTION_MINUTES_REFRESH, {"meeting_id": _id(PAST)}, ANNA)


async def minutes_confirmed(h: Harness, *, cosign: bool = False) -> None:
    await minutes_drafted(h)
    for team in (T, G):
        if cosign:
            await h.store.teams.update_team_settings(team, {COSIGN_SETTING: True})
        draft = await h.store.minutes.draft(team, _id(PAST))
        await channel_invoke(h, team, ACTION_MINUTES_APPROVE, {"meeting_id": _id(PAST), "revision": draft.revision}, ANNA)
        assert len(await h.store.minutes.versions(team, _id(PAST))) == 1


async def _draft(h: Harness, team: str) -> Any:
    return await h.store.minutes.draft(team, _id(PAST))


def _meeting_draft() -> dict[str, Any]:
    return Draft(op=CREATE, day=date(2026, 12, 11), start=time(9, 0), end=time(12, 0), location="Hjo", token="tok-g").to_data()


@dataclass(frozen=True)
class Case:
    """One card verb: who clicks, what the card holds, what must be true before, and a probe of
    its effect in one network (True: the click took effect there)."""

    verb: str
    user: User
    data: Callable[[Harness], Awaitable[dict[str, Any]]]
    effect: Callable[[Harness, str], Awaitable[bool]]
    before: Callable[[Harness], Awaitable[None]] | None = None


def _attended(answer: str) -> Callable[[Harness, str], Awaitable[bool]]:
    async def probe(h: Harness, team: str) -> bool:
        found = await h.store.attendance.answer_of(team, _id(COMING), ANNA.aad)
        return found is not None and found.answer == answer
    return probe


def _posted_in(h: Harness, conversation: str, words: str) -> bool:
    return any(words in text for text in h.connector.texts(conversation))


def _cards_text(h: Harness, body: dict[str, Any] | None) -> str:
    return json.dumps([p.body for p in h.connector.posted], ensure_ascii=False) + json.dumps(body or {}, ensure_ascii=False)


async def _coming(h: Harness) -> dict[str, Any]:
    return {"meeting_id": _id(COMING)}


async def _checkin_data(h: Harness) -> dict[str, Any]:
    return {"meeting_id": _id(COMING), "answer": "Mitt svar"}


async def _checked_in(h: Harness, team: str) -> bool:
    return await h.store.checkins.get_answer(team, _id(COMING), ANNA.aad) is not None


async def _item_form(h: Harness) -> dict[str, Any]:
    return {"title": "Boka lokal", "owners": "Anna Gustafsson", "view": "all"}


async def _item_added(h: Harness, team: str) -> bool:
    return any(i.title == "Boka lokal" for i in await h.store.actions.open_items(team))


async def _done_data(h: Harness) -> dict[str, Any]:
    return {"number": 1, "id": (await h.store.actions.by_number(G, 1)).id}


async def _item_done(h: Harness, team: str) -> bool:
    return not (await h.store.actions.by_number(team, 1)).is_open


async def _past(h: Harness) -> dict[str, Any]:
    return {"meeting_id": _id(PAST)}


async def _drafted(h: Harness, team: str) -> bool:
    return await _draft(h, team) is not None


async def _save_data(h: Harness) -> dict[str, Any]:
    return {"meeting_id": _id(PAST), "revision": (await _draft(h, G)).revision, "checkin_summary": "Sparat i G"}


async def _saved(h: Harness, team: str) -> bool:
    return "Sparat i G" in json.dumps((await _draft(h, team)).edits, ensure_ascii=False)


async def _approve_data(h: Harness) -> dict[str, Any]:
    return {"meeting_id": _id(PAST), "revision": (await _draft(h, G)).revision}


async def _approved(h: Harness, team: str) -> bool:
    return bool(await h.store.minutes.versions(team, _id(PAST)))


async def _change_data(h: Harness) -> dict[str, Any]:
    return {"meeting_id": _id(PAST), "change_comment": "Stavfel i punkt 2"}


async def _change_asked(h: Harness, team: str) -> bool:
    # Nobody has a 1:1 chat here: the network's channel is told a change was asked (never the comment).
    return _posted_in(h, team, "Peter Stark har begärt en ändring")


async def _version_1(h: Harness) -> dict[str, Any]:
    return {"meeting_id": _id(PAST), "version": 1}


async def _correcting(h: Harness, team: str) -> bool:
    return (await _draft(h, team)).status == "correcting"


async def _cosigned(h: Harness, team: str) -> bool:
    return (await h.store.minutes.versions(team, _id(PAST)))[0].cosigned_by == PETER.aad


async def _confirmed_to_cosign(h: Harness) -> None:
    await minutes_confirmed(h, cosign=True)


async def _meeting_data(h: Harness) -> dict[str, Any]:
    return {"draft": _meeting_draft()}


async def _meeting_created(h: Harness, team: str) -> bool:
    return any(m.starts_at.date() == date(2026, 12, 11) for m in await h.store.meetings.all(team))


async def _meeting_aborted(h: Harness, team: str) -> bool:
    return await h.store.meetings.draft_outcome(team, "tok-g") is not None


CASES = [
    Case(ACTION_ATTEND_YES, ANNA, _coming, _attended(YES)),
    Case(ACTION_ATTEND_NO, ANNA, _coming, _attended(NO)),
    Case(ACTION_CHECKIN, ANNA, _checkin_data, _checked_in),
    Case(ACTION_ACTION_ITEM_FORM, ANNA, _item_form, _item_added),
    Case(ACTION_ACTION_DONE, ANNA, _done_data, _item_done),
    Case(ACTION_MINUTES_REFRESH, ANNA, _past, _drafted),
    Case(ACTION_MINUTES_SAVE, ANNA, _save_data, _saved, minutes_drafted),
    Case(ACTION_MINUTES_APPROVE, ANNA, _approve_data, _approved, minutes_drafted),
    Case(ACTION_MINUTES_REQUEST_CHANGE, PETER, _change_data, _change_asked, minutes_drafted),
    Case(ACTION_MINUTES_CORRECT, ANNA, _version_1, _correcting, minutes_confirmed),
    Case(ACTION_MINUTES_COSIGN, PETER, _version_1, _cosigned, _confirmed_to_cosign),
    Case(ACTION_MEETING_CONFIRM, PETER, _meeting_data, _meeting_created),
    Case(ACTION_MEETING_ABORT, PETER, _meeting_data, _meeting_aborted),
]


async def click(h: Harness, verb: str, data: dict[str, Any], user: User, how: str) -> dict[str, Any] | None:
    """Click a card button in the person's 1:1 chat; the invoke's answer body (None for a Submit)."""
    if how == "invoke":
        resp = await h.post(h.invoke(verb, data, user, where="personal"))
        assert resp.status == 200
        return await resp.json()
    resp = await h.post(h.submit({"action": verb, **data}, user, where="personal"))
    assert resp.status == 200
    return None


def test_every_card_verb_has_a_two_network_case() -> None:
    covered = {c.verb for c in CASES} | {ACTION_ACTION_ITEMS_PAGE, ACTION_HELP, ACTION_IMPORT_CONFIRM}  # the last three below
    assert covered == CARD_ACTIONS


@pytest.mark.parametrize("how", ["invoke", "submit"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.verb)
async def test_a_card_of_network_g_acts_on_g_only(harness: Harness, case: Case, how: str) -> None:
    h = harness
    await two_networks(h)
    if case.before is not None:
        await case.before(h)
    assert not await case.effect(h, G) and not await case.effect(h, T)
    await click(h, case.verb, {**await case.data(h), NETWORK: G}, case.user, how)
    assert await case.effect(h, G)
    assert not await case.effect(h, T)


@pytest.mark.parametrize("how", ["invoke", "submit"])
async def test_the_items_page_button_shows_the_cards_network(harness: Harness, how: str) -> None:
    h = harness
    await two_networks(h)
    body = await click(h, ACTION_ACTION_ITEMS_PAGE, {"view": "all", "page": 1, NETWORK: G}, ANNA, how)
    shown = _cards_text(h, body)
    assert f"Uppgift i {G[:8]}" in shown and f"Uppgift i {T[:8]}" not in shown
    # The page that replaces the card names its network too, so its buttons stay in G.
    assert f'"{NETWORK}": "{G}"' in shown and f'"{NETWORK}": "{T}"' not in shown


@pytest.mark.parametrize("how", ["invoke", "submit"])
async def test_the_help_button_answers_in_either_network_and_checks_membership(harness: Harness, how: str) -> None:
    h = harness
    await two_networks(h)
    await click(h, ACTION_HELP, {NETWORK: G}, ANNA, how)
    assert h.connector.cards(f"a:personal-{ANNA.aad}")
    h.connector.clear()
    body = await click(h, ACTION_HELP, {NETWORK: G}, SOFIA, how)  # Sofia is only in T
    assert not h.connector.cards(f"a:personal-{SOFIA.aad}")
    assert plain_text(t("core.card_not_your_network", "sv")) in _cards_text(h, body) or _posted_in(
        h, f"a:personal-{SOFIA.aad}", t("core.card_not_your_network", "sv"))


@pytest.mark.parametrize("how", ["invoke", "submit"])
async def test_an_import_card_of_network_g_stores_the_minutes_in_g(harness: Harness, how: str) -> None:
    h = harness
    await two_networks(h)
    files = Files()
    await files.start()
    try:
        data = SCANNED.encode("utf-8")
        files.files["protokoll.txt"] = data
        card = {"name": "protokoll.txt", "url": f"{files.base}/protokoll.txt", "sha256": hashlib.sha256(data).hexdigest(),
                "date": "2019-03-15", NETWORK: G}
        await click(h, ACTION_IMPORT_CONFIRM, card, ANNA, how)  # Anna is the secretary in both
    finally:
        await files.stop()
    assert await h.store.meetings.get(G, "20190315") is not None
    assert await h.store.meetings.get(T, "20190315") is None


# Refusals ---------------------------------------------------------------------------------------------
def _refused_with(h: Harness, body: dict[str, Any] | None, key: str, user: User = ANNA) -> bool:
    line = t(key, "sv")
    return (body is not None and body.get("value") == plain_text(line)) or _posted_in(h, f"a:personal-{user.aad}", line)


@pytest.mark.parametrize("how", ["invoke", "submit"])
async def test_an_old_card_without_its_network_is_refused_for_a_person_in_two(harness: Harness, how: str) -> None:
    h = harness
    await two_networks(h)
    body = await click(h, ACTION_ACTION_DONE, {"number": 1}, ANNA, how)
    assert _refused_with(h, body, "core.card_network_unknown")
    assert (await h.store.actions.by_number(T, 1)).is_open and (await h.store.actions.by_number(G, 1)).is_open


@pytest.mark.parametrize("how", ["invoke", "submit"])
async def test_an_old_card_without_its_network_still_works_for_a_person_in_one(harness: Harness, how: str) -> None:
    h = harness
    await h.install(ANNA, roster=[ANNA, PETER])
    item = await h.store.actions.create(T, title="Boka lokal", owners=(Owner(MEMBER, ANNA.name, ANNA.aad),), created_by=ANNA.aad,
                                        created_at=h.clock.now())
    await click(h, ACTION_ACTION_DONE, {"number": item.number}, ANNA, how)
    assert not (await h.store.actions.get(T, item.id)).is_open


@pytest.mark.parametrize("how", ["invoke", "submit"])
async def test_a_card_of_a_network_the_person_is_not_in_is_refused(harness: Harness, how: str) -> None:
    h = harness
    await two_networks(h)
    body = await click(h, ACTION_ATTEND_YES, {"meeting_id": _id(COMING), NETWORK: G}, SOFIA, how)
    assert _refused_with(h, body, "core.card_not_your_network", SOFIA)
    assert await h.store.attendance.answer_of(G, _id(COMING), SOFIA.aad) is None
    assert await h.store.teams.get_member(G, SOFIA.aad) is None  # clicking did not make her a member


async def test_a_card_naming_another_network_is_refused_in_a_channel(harness: Harness) -> None:
    h = harness
    await two_networks(h)
    body = await channel_invoke(h, T, ACTION_ACTION_DONE, {"number": 1, NETWORK: G}, ANNA)
    assert body["value"] == plain_text(t("core.card_other_network", "sv"))
    assert (await h.store.actions.by_number(T, 1)).is_open and (await h.store.actions.by_number(G, 1)).is_open


async def test_the_role_is_the_one_held_in_the_cards_network(harness: Harness) -> None:
    h = harness
    await two_networks(h)
    await minutes_drafted(h)
    await set_roles(h, G, ANNA)  # secretary in T only
    body = await click(h, ACTION_MINUTES_APPROVE, {"meeting_id": _id(PAST), "revision": (await _draft(h, G)).revision, NETWORK: G}, ANNA, "invoke")
    assert plain_text(t("minutes.only_secretary", "sv")) in json.dumps(body, ensure_ascii=False)
    assert await h.store.minutes.versions(G, _id(PAST)) == [] and await h.store.minutes.versions(T, _id(PAST)) == []


async def test_a_done_button_whose_number_is_not_its_items_changes_nothing(harness: Harness) -> None:
    h = harness
    await two_networks(h)
    other = await h.store.actions.create(G, title="Andra", owners=(Owner(MEMBER, ANNA.name, ANNA.aad),), created_by=ANNA.aad,
                                         created_at=h.clock.now())
    await click(h, ACTION_ACTION_DONE, {"number": 1, "id": other.id, NETWORK: G}, ANNA, "invoke")
    assert (await h.store.actions.by_number(G, 1)).is_open and (await h.store.actions.get(G, other.id)).is_open


# The reported case, end to end ---------------------------------------------------------------------
async def test_klar_on_a_reminder_for_network_gs_item_closes_gs_item(harness: Harness) -> None:
    h = harness
    await two_networks(h)
    due = h.clock.now().date() + timedelta(days=7)
    for team in (T, G):
        await h.store.actions.create(team, title=f"Att göra i {team[:8]}", owners=(Owner(MEMBER, ANNA.name, ANNA.aad),),
                                     created_by=ANNA.aad, created_at=h.clock.now(), due=due)
    service = h.app[SERVICES_KEY].reminders
    await service.runner.run_due(h.clock.now() + timedelta(days=4))
    cards = h.connector.cards(f"a:personal-{ANNA.id}")  # the chat the bot opened
    [card] = [c for c in cards if f"Att göra i {G[:8]}" in json.dumps(c, ensure_ascii=False)]
    [done] = [a for a in card["actions"] if a.get("verb") == ACTION_ACTION_DONE]
    assert done["data"][NETWORK] == G and done["data"]["id"] == (await h.store.actions.by_number(G, 2)).id
    await h.post(h.invoke(ACTION_ACTION_DONE, {k: v for k, v in done["data"].items() if k != "action"}, ANNA, where="personal"))
    assert not (await h.store.actions.by_number(G, 2)).is_open
    assert (await h.store.actions.by_number(T, 2)).is_open
