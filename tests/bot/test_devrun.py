"""The local-chat supervisor's pure parts: mock network, locale rewriting, commands and environment."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from bot import devrun


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
