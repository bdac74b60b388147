"""The local-chat supervisor's pure parts: mock network, locale rewriting, commands and environment."""

from __future__ import annotations

import io
import json
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.dev import devrun
from tests.harness import User


def test_set_locale_rewrites_the_activity_and_client_info() -> None:
    activity = {
        "type": "message",
        "text": "hjälp",
        "locale": "en-US",
        "entities": [{"type": "clientInfo", "locale": "en-US", "country": "US"}, {"type": "mention", "locale": "x"}],
    }
    out = json.loads(devrun.set_locale(json.dumps(activity).encode(), "sv-SE"))
    assert out["locale"] == "sv-SE"
    assert out["entities"][0] == {"type": "clientInfo", "locale": "sv-SE", "country": "US"}
    assert out["entities"][1]["locale"] == "x"
    assert out["text"] == "hjälp"


@pytest.mark.parametrize("body", [b"", b"not json", b"[1, 2]", json.dumps({"type": "message", "text": "å"}).encode()])
def test_set_locale_leaves_other_bodies_alone(body: bytes) -> None:
    assert devrun.set_locale(body, "sv-SE") == body


def test_playground_config_has_the_shape_the_playground_requires() -> None:
    config = devrun.playground_config("peter")
    assert config["version"] == "0.1.1"
    assert config["currentUser"]["name"] == "Peter Holm"
    assert len(config["users"]) == 5  # the Playground's schema wants exactly five others
    ids = [config["currentUser"]["id"], *(u["id"] for u in config["users"])]
    assert len(set(ids)) == 6
    assert len(config["bot"]["name"]) <= 42
    assert config["personalChat"]["id"] == "personal-peter"
    assert len(config["team"]["channels"]) <= 1
    required = {"id", "name", "userPrincipleName", "aadObjectId", "givenName", "surname", "email"}
    assert all(set(u) == required for u in [config["currentUser"], *config["users"]])


@pytest.mark.parametrize("name", ["sofia", "Sofia", "SOFIA BERG", " sofia "])
def test_mock_user_by_key_or_name(name: str) -> None:
    assert devrun.mock_user(name).key == "sofia"


def test_unknown_mock_user_lists_the_choices() -> None:
    with pytest.raises(devrun.DevRunError, match="Anna, Peter"):
        devrun.mock_user("Bosse")


def test_bot_env_is_dev_mode_without_credentials(tmp_path: Path) -> None:
    base = {"MicrosoftAppId": "0f0e0d0c-0000-4000-8000-000000000001", "MicrosoftAppPassword": "secret",
            "MicrosoftAppTenantId": "t", "PATH": "/usr/bin"}
    env = devrun.bot_env(tmp_path / "data", base)
    assert env["SKIS_DEV"] == "1"
    assert env["MicrosoftAppId"] == ""
    assert "MicrosoftAppPassword" not in env and "MicrosoftAppTenantId" not in env
    assert env["SKIS_DATA_DIR"] == str(tmp_path / "data")
    assert env["SKIS_INITIAL_ROLES"] == f"{devrun.mock_user('sofia').aad_object_id}:sekreterare"
    assert env["PATH"] == "/usr/bin"


def test_bot_env_keeps_the_developers_initial_roles(tmp_path: Path) -> None:
    env = devrun.bot_env(tmp_path, {"SKIS_INITIAL_ROLES": "abc:presidium"})
    assert env["SKIS_INITIAL_ROLES"] == "abc:presidium"


def test_playground_command_and_env(tmp_path: Path) -> None:
    command = devrun.playground_command("node", Path("cli.js"), Path("pre.cjs"), "http://127.0.0.1:5/api/messages", 0)
    assert command[:4] == ["node", "--require", "pre.cjs", "cli.js"]
    assert command[command.index("--app-endpoint") + 1] == "http://127.0.0.1:5/api/messages"
    assert command[command.index("--channel-id") + 1] == "msteams"
    assert command[command.index("--port") + 1] == "0"
    assert "--disable-telemetry" in command
    env = devrun.playground_env(tmp_path, tmp_path / "c.yml", {})
    assert env["TEAMSAPPTESTER_BROWSER"] == "none"
    assert env["M365_AGENTS_PLAYGROUND_CONFIG_PATH"] == str(tmp_path / "c.yml")
    assert env["M365_AGENTS_PLAYGROUND_LOGFILE"].startswith(str(tmp_path))


def test_missing_playground_says_how_to_install(tmp_path: Path) -> None:
    with pytest.raises(devrun.DevRunError, match="npm ci"):
        devrun.playground_cli(tmp_path)


def test_free_port_is_bindable() -> None:
    port = devrun.free_port()
    assert devrun.port_is_free(port)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))
        sock.listen()
        assert not devrun.port_is_free(port)


def test_a_busy_bot_port_is_refused_before_anything_starts(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        stack = devrun.DevStack(workdir=tmp_path, data_dir=tmp_path / "data", bot_port=sock.getsockname()[1])
        with pytest.raises(devrun.DevRunError, match="already in use"):
            stack.start()
        assert stack.children == []


def test_dev_clock_is_system_time_until_it_is_moved(tmp_path: Path) -> None:
    clock = devrun.DevClock(devrun.clock_file(tmp_path))
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)
    devrun.set_clock(tmp_path, datetime(2026, 11, 20, 9, 5, tzinfo=ZoneInfo("Europe/Stockholm")))
    moved = clock.now()
    assert abs(moved - datetime(2026, 11, 20, 8, 5, tzinfo=UTC)) < timedelta(seconds=5)
    assert moved.tzinfo is not None
    devrun.set_clock(tmp_path, None)
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)


def test_dev_clock_keeps_its_last_good_offset_when_the_file_is_unreadable(tmp_path: Path) -> None:
    clock = devrun.DevClock(devrun.clock_file(tmp_path))
    devrun.set_clock(tmp_path, datetime(2030, 1, 1, tzinfo=UTC))
    assert clock.now().year == 2030
    devrun.clock_file(tmp_path).write_text("{not json", encoding="utf-8")
    assert clock.now().year == 2030


def test_set_clock_wants_an_aware_time(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        devrun.set_clock(tmp_path, datetime(2026, 11, 20, 9, 5))  # noqa: DTZ001 (naive on purpose)


def test_clock_command_moves_shows_and_resets(tmp_path: Path) -> None:
    out = io.StringIO()
    assert devrun._clock_main(["2026-11-20T09:05", "--data-dir", str(tmp_path)], out) == 0
    assert "Friday 2026-11-20 09:05" in out.getvalue() and "moved" in out.getvalue()
    out = io.StringIO()
    assert devrun._clock_main(["now", "--data-dir", str(tmp_path)], out) == 0
    assert "the real time" in out.getvalue()
    assert not devrun.clock_file(tmp_path).exists()
    assert devrun._clock_main(["nästa fredag", "--data-dir", str(tmp_path)], io.StringIO()) == 2


def test_the_bot_runs_skis_bot_serve_with_the_dev_clock(tmp_path: Path) -> None:
    command = devrun.bot_command(3978, tmp_path)
    assert command[1:4] == ["-m", "bot.dev.devrun", "serve"]
    assert command[command.index("--port") + 1] == "3978"
    assert command[command.index("--clock-file") + 1] == str(devrun.clock_file(tmp_path))


def test_bot_env_can_give_nobody_a_role_from_the_start(tmp_path: Path) -> None:
    env = devrun.bot_env(tmp_path, {"SKIS_INITIAL_ROLES": "abc:presidium"}, initial_roles="")
    assert env["SKIS_INITIAL_ROLES"] == ""


class _Stack:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.playground_url = "http://localhost:56150"
        self.people: list[str] = []

    def switch_person(self, person: str) -> None:
        self.people.append(person)


def test_typing_a_name_in_the_terminal_switches_the_playground_person(tmp_path: Path) -> None:
    stack, out = _Stack(tmp_path), io.StringIO()
    devrun.console_command(stack, "Sofia\n", out)  # type: ignore[arg-type]
    assert stack.people == ["sofia"]
    assert "You are Sofia Berg. Reload http://localhost:56150" in out.getvalue()
    devrun.console_command(stack, "Bosse\n", out)  # type: ignore[arg-type]
    assert stack.people == ["sofia"] and "no mock person called 'Bosse'" in out.getvalue()
    devrun.console_command(stack, "  \n", out)  # type: ignore[arg-type]
    assert stack.people == ["sofia"]


def test_typing_clock_in_the_terminal_moves_the_bots_clock(tmp_path: Path) -> None:
    out = io.StringIO()
    devrun.console_command(_Stack(tmp_path), "clock 2026-11-20T12:30\n", out)  # type: ignore[arg-type]
    assert "2026-11-20 12:30" in out.getvalue()
    assert abs(devrun.clock_now(tmp_path) - datetime(2026, 11, 20, 11, 30, tzinfo=UTC)) < timedelta(seconds=5)


async def test_the_stack_makes_the_team_known_so_the_personal_chat_has_a_network(harness) -> None:
    harness.connector.members[devrun.TEAM_ID] = [
        {"id": u.id, "name": u.name, "aadObjectId": u.aad_object_id} for u in devrun.MOCK_USERS
    ]
    activity = devrun.team_install_activity("anna", harness.connector.url, "sv-SE", harness.clock.now())
    assert (await harness.post(activity)).status == 200
    assert [p.text for p in harness.connector.posted if p.text] == []  # nobody sees this yet
    team = await harness.store.teams.get_team(devrun.TEAM_ID)
    assert team is not None and team.name == devrun.TEAM_NAME and team.kind == "team"
    assert len(await harness.store.teams.members(devrun.TEAM_ID)) == 6
    anna = devrun.mock_user("anna")
    chair = await harness.store.teams.get_member(devrun.TEAM_ID, anna.aad_object_id)
    assert chair is not None and "ordförande" in chair.roles
    # Anna's personal chat, which the Playground opens first, works on the team.
    replies = await harness.say("nätverk", User(anna.name, anna.aad_object_id), where="personal")
    assert f"Du är med i ett nätverk: **{devrun.TEAM_NAME}**" in replies[0]
    # Opening General installs the bot there (the Playground's own activity): the team is greeted, once.
    installed = devrun.team_install_activity("anna", harness.connector.url, "sv-SE", harness.clock.now())
    installed.update({"membersAdded": [{"id": devrun.BOT_ID}], "recipient": {"id": devrun.BOT_ID}})
    for number in range(2):
        before = len(harness.connector.posted)
        assert (await harness.post({**installed, "id": f"playground-{number}"})).status == 200
        greeted = [p.text for p in harness.connector.posted[before:] if p.text]
        if number == 0:
            assert len(greeted) == 1 and greeted[0].startswith(f"Hej {devrun.TEAM_NAME}! Jag är SKIS-boten.")
        else:
            assert greeted == []
    # The next start (same data directory) changes nothing.
    again = devrun.team_install_activity("anna", harness.connector.url, "sv-SE", harness.clock.now() + timedelta(hours=1))
    before = len(harness.connector.posted)
    assert (await harness.post(again)).status == 200
    assert harness.connector.posted[before:] == []
