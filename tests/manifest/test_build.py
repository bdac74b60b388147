"""The Teams app package: schema-valid manifest, no placeholders, real commands, correct icons, CLI."""

from __future__ import annotations

import argparse
import io
import json
import re
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from PIL import Image

from bot import __version__
from bot.routing import parse_command
from manifest import draw_icons
from manifest.build import (
    DEFAULT_OUT,
    DESCRIPTION_MAX,
    MAX_COMMANDS,
    MENU,
    RSC_PERMISSIONS,
    SCOPES,
    TITLE_MAX,
    build_localization,
    build_manifest,
    command_lists,
    normalize_domain,
    placeholders_in,
    register_cli,
    write_package,
)

SCHEMAS = Path(__file__).resolve().parents[1] / "shared" / "schemas"  # see tests/shared/README.md
APP_ID = "1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d"
URLS = {
    "developer_url": "https://www.skaraborg.se/",
    "privacy_url": "https://www.skaraborg.se/integritet",
    "terms_url": "https://www.skaraborg.se/villkor",
}
# Text that means someone forgot to fill something in.
FORBIDDEN = ("{{", "}}", "<", "TODO", "00000000-0000-0000-0000-000000000000", "example.com")
# The keys a Teams localization file may hold that this package uses (from the 1.30
# MicrosoftTeams.Localization.schema.json, which is not in shared/schemas; its rules for these keys
# are checked by hand below).
LOCALIZATION_FIXED = {"name.short": 30, "name.full": 100, "description.short": 80, "description.full": 4000}
LOCALIZATION_COMMAND = re.compile(
    r"^bots\[0\]\.commandLists\[([0-2])\]\.commands\[([0-9]|1[01])\]\.(title|description)$"
)


@cache
def _manifest_validator() -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMAS / "MicrosoftTeams.v1.30.schema.json").read_text(encoding="utf-8"))
    # The schema is self-contained: every $ref is local ("#/..."), so validation needs no network.
    refs = re.findall(r'"\$ref"\s*:\s*"([^"]*)"', json.dumps(schema))
    assert refs and all(ref.startswith("#") for ref in refs)
    # One pattern in the schema uses \p{L} (ECMA-262 regex), which Python's re cannot compile, so
    # the schema itself is checked without regex formats; no manifest of ours reaches that pattern.
    jsonschema.Draft4Validator.check_schema(schema, format_checker=None)
    return jsonschema.Draft4Validator(schema)


def _schema_errors(manifest: dict[str, Any]) -> list[str]:
    errors = sorted(_manifest_validator().iter_errors(manifest), key=lambda e: list(e.path))
    return [f"{list(e.path)}: {e.message[:300]}" for e in errors]


def _build(**overrides: Any) -> dict[str, Any]:
    options: dict[str, Any] = {"domain": "skis-bot.skovde.se", "version": __version__, **URLS}
    options.update(overrides)
    return build_manifest(options.pop("app_id", APP_ID), **options)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="skis-bot")
    register_cli(parser.add_subparsers(dest="command", required=True))
    return parser


def _run_cli(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    return args.func(args)


@pytest.fixture
def package(tmp_path: Path) -> zipfile.ZipFile:
    path = write_package(_build(), tmp_path / "app.zip")
    with zipfile.ZipFile(path) as archive:
        yield archive


def _json(archive: zipfile.ZipFile, name: str) -> dict[str, Any]:
    return json.loads(archive.read(name).decode("utf-8"))


def _image(archive: zipfile.ZipFile, name: str) -> Image.Image:
    image = Image.open(io.BytesIO(archive.read(name)))
    image.load()
    return image


# --- the package --------------------------------------------------------------------------


def test_package_holds_the_manifest_icons_and_english_file_at_its_root(package: zipfile.ZipFile) -> None:
    assert sorted(package.namelist()) == ["color.png", "en.json", "manifest.json", "outline.png"]
    assert package.testzip() is None


def test_manifest_is_valid_against_the_teams_1_30_schema(package: zipfile.ZipFile) -> None:
    manifest = _json(package, "manifest.json")
    assert manifest["manifestVersion"] == "1.30"
    assert _schema_errors(manifest) == []


def test_schema_check_would_catch_a_broken_manifest() -> None:
    broken = _build()
    broken["id"] = "not-a-guid"
    broken["bots"][0]["commandLists"][0]["commands"] = [{"title": "x"}] * 13
    errors = _schema_errors(broken)
    assert any("'id'" in e or "['id']" in e for e in errors)
    assert any("commands" in e for e in errors)


@pytest.mark.parametrize("name", ["manifest.json", "en.json"])
def test_no_placeholder_is_left_in_the_package(package: zipfile.ZipFile, name: str) -> None:
    text = package.read(name).decode("utf-8")
    for marker in FORBIDDEN:
        assert marker not in text, f"{marker!r} left in {name}"
    assert placeholders_in(json.loads(text)) == []


def test_template_placeholders_are_found() -> None:
    # Guards the guard: the checker does see the template's own placeholders.
    from importlib.resources import files

    template = json.loads(files("manifest").joinpath("manifest.template.json").read_text(encoding="utf-8"))
    assert "{{APP_ID}}" in placeholders_in(template)


def test_ids_names_version_and_urls(package: zipfile.ZipFile) -> None:
    manifest = _json(package, "manifest.json")
    assert manifest["id"] == APP_ID
    assert manifest["version"] == __version__
    assert manifest["name"] == {"short": "SKIS-boten", "full": "SKIS – Skolutveckling i Skaraborg"}
    assert manifest["developer"]["privacyUrl"] == URLS["privacy_url"]
    assert manifest["developer"]["termsOfUseUrl"] == URLS["terms_url"]
    assert manifest["developer"]["websiteUrl"] == URLS["developer_url"]
    assert manifest["validDomains"] == ["skis-bot.skovde.se"]
    (bot,) = manifest["bots"]
    assert bot["botId"] == APP_ID
    assert sorted(bot["scopes"]) == sorted(SCOPES)
    assert bot["supportsFiles"] is True  # `importera`: files sent to the bot in 1:1
    assert manifest["localizationInfo"]["defaultLanguageTag"] == "sv-SE"
    assert manifest["localizationInfo"]["additionalLanguages"] == [
        {"languageTag": "en-US", "file": "en.json"}
    ]


def test_channel_and_group_chat_messages_are_requested_by_resource_specific_consent(package: zipfile.ZipFile) -> None:
    # Without them Teams delivers only @mentioned messages, and follow-up answers never arrive.
    manifest = _json(package, "manifest.json")
    permissions = manifest["authorization"]["permissions"]["resourceSpecific"]
    assert {(p["name"], p["type"]) for p in permissions} == {(name, "Application") for name in RSC_PERMISSIONS}
    assert set(RSC_PERMISSIONS) == {"ChannelMessage.Read.Group", "ChatMessage.Read.Chat"}
    assert manifest["webApplicationInfo"]["id"] == APP_ID
    assert _schema_errors(manifest) == []


def test_without_a_domain_valid_domains_is_empty() -> None:
    manifest = _build(domain=None)
    assert manifest["validDomains"] == []
    assert _schema_errors(manifest) == []


def test_the_same_input_gives_the_same_zip(tmp_path: Path) -> None:
    first = write_package(_build(), tmp_path / "a.zip").read_bytes()
    second = write_package(_build(), tmp_path / "b.zip").read_bytes()
    assert first == second


def test_write_package_into_a_directory_uses_the_default_name(tmp_path: Path) -> None:
    path = write_package(_build(), tmp_path)
    assert path == (tmp_path / DEFAULT_OUT.name).resolve()
    assert [p.name for p in tmp_path.iterdir()] == [DEFAULT_OUT.name]


# --- commands -----------------------------------------------------------------------------


def test_one_command_list_per_scope_with_at_most_twelve_commands(package: zipfile.ZipFile) -> None:
    lists = _json(package, "manifest.json")["bots"][0]["commandLists"]
    assert [entry["scopes"] for entry in lists] == [[scope] for scope in SCOPES]
    for entry in lists:
        assert 1 <= len(entry["commands"]) <= MAX_COMMANDS, entry["scopes"]
        titles = [c["title"] for c in entry["commands"]]
        assert len(titles) == len(set(titles)), entry["scopes"]
        assert titles[0] == "hjälp"


@pytest.mark.parametrize("command", MENU, ids=lambda c: c.title)
def test_every_menu_command_is_a_real_command(command: Any) -> None:
    parsed = parse_command(command.title)
    assert parsed is not None and parsed.name == command.command_id
    assert parsed.args == ""
    assert len(command.title) <= TITLE_MAX
    assert 0 < len(command.description) <= DESCRIPTION_MAX
    assert 0 < len(command.description_en) <= DESCRIPTION_MAX
    assert command.scopes and set(command.scopes) <= set(SCOPES)


def test_menu_is_defined_once_and_used_for_every_scope() -> None:
    listed = {c["title"] for entry in command_lists() for c in entry["commands"]}
    assert listed == {c.title for c in MENU}


# --- English localization -----------------------------------------------------------------


def test_english_file_uses_only_allowed_keys_within_limits(package: zipfile.ZipFile) -> None:
    strings = _json(package, "en.json")
    manifest = _json(package, "manifest.json")
    assert {"name.short", "description.short", "description.full"} <= strings.keys()
    lists = manifest["bots"][0]["commandLists"]
    for key, value in strings.items():
        assert isinstance(value, str) and value.strip(), key
        if key == "$schema":
            assert value.startswith("https://developer.microsoft.com/json-schemas/teams/v1.30/")
        elif key in LOCALIZATION_FIXED:
            assert len(value) <= LOCALIZATION_FIXED[key], key
        else:
            match = LOCALIZATION_COMMAND.match(key)
            assert match, f"{key} is not a key the localization schema allows"
            list_index, index, _field = int(match.group(1)), int(match.group(2)), match.group(3)
            assert index < len(lists[list_index]["commands"]), key
            assert len(value) <= DESCRIPTION_MAX, key


def test_english_file_describes_every_command_and_keeps_the_swedish_titles(package: zipfile.ZipFile) -> None:
    strings = _json(package, "en.json")
    manifest = _json(package, "manifest.json")
    english = {c.title: c.description_en for c in MENU}
    for list_index, entry in enumerate(manifest["bots"][0]["commandLists"]):
        for index, command in enumerate(entry["commands"]):
            prefix = f"bots[0].commandLists[{list_index}].commands[{index}]"
            assert strings[f"{prefix}.description"] == english[command["title"]]
            assert f"{prefix}.title" not in strings  # the bot understands the Swedish words only
    assert build_localization(manifest) == strings


# --- icons --------------------------------------------------------------------------------


def test_color_icon_is_192_square_and_opaque(package: zipfile.ZipFile) -> None:
    image = _image(package, "color.png")
    assert image.size == (192, 192)
    assert image.mode == "RGBA"
    assert image.getchannel("A").getextrema() == (255, 255)
    assert len(image.getcolors(192 * 192)) > 2  # drawn, not a blank square


def test_outline_icon_is_32_square_white_on_transparent(package: zipfile.ZipFile) -> None:
    image = _image(package, "outline.png")
    assert image.size == (32, 32)
    assert image.mode == "RGBA"
    for corner in ((0, 0), (31, 0), (0, 31), (31, 31)):
        assert image.getpixel(corner)[3] == 0, corner
    visible = [image.getpixel((x, y)) for y in range(32) for x in range(32) if image.getpixel((x, y))[3] > 0]
    assert len(visible) > 100  # there is a shape
    assert all(pixel[:3] == (255, 255, 255) for pixel in visible)


@pytest.mark.parametrize(
    ("name", "draw"), [("color.png", draw_icons.draw_color), ("outline.png", draw_icons.draw_outline)]
)
def test_committed_icons_match_the_drawing_script(name: str, draw: Any) -> None:
    committed = Image.open(Path(draw_icons.__file__).with_name(name)).convert("RGBA")
    assert committed.tobytes() == draw().tobytes(), f"run: python -m manifest.draw_icons, then commit {name}"


# --- validation of inputs -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("app_id", "not-a-guid"),
        ("app_id", "00000000-0000-0000-0000-000000000000"),
        ("privacy_url", "http://www.skaraborg.se/integritet"),
        ("terms_url", "villkor"),
        ("version", "0.1.0.dev3"),
        ("domain", "https://"),
        ("domain", "not a host"),
        ("developer_name", "x" * 33),
    ],
)
def test_bad_values_are_refused_with_a_message(field: str, value: str) -> None:
    with pytest.raises(ValueError, match=r"\S"):
        _build(**{field: value})


@pytest.mark.parametrize(
    "text",
    [
        "skis-bot.skovde.se",
        "https://skis-bot.skovde.se",
        "https://skis-bot.skovde.se/api/messages",
        "SKIS-bot.Skovde.se.",
    ],
)
def test_domain_is_reduced_to_the_host_name(text: str) -> None:
    assert normalize_domain(text) == "skis-bot.skovde.se"


# --- the command line ---------------------------------------------------------------------


def test_cli_builds_the_package_end_to_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("SKIS_DEVELOPER_URL", "SKIS_PRIVACY_URL", "SKIS_TERMS_URL", "SKIS_DEVELOPER_NAME"):
        monkeypatch.delenv(name, raising=False)
    out = tmp_path / "dist" / "skis.zip"
    code = _run_cli(
        ["manifest", "build", "--app-id", APP_ID, "--domain", "skis-bot.skovde.se", "--out", str(out)]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert str(out.resolve()) in printed
    assert "Upload" in printed or "upload" in printed
    with zipfile.ZipFile(out) as archive:
        manifest = _json(archive, "manifest.json")
    assert manifest["version"] == __version__
    assert manifest["id"] == APP_ID
    assert manifest["validDomains"] == ["skis-bot.skovde.se"]
    assert _schema_errors(manifest) == []


def test_cli_takes_urls_from_the_environment_and_flags_win(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKIS_PRIVACY_URL", "https://www.skovde.se/personuppgifter")
    monkeypatch.setenv("SKIS_TERMS_URL", "https://www.skovde.se/villkor")
    monkeypatch.setenv("SKIS_DEVELOPER_NAME", "Skövde kommun")
    out = tmp_path / "app.zip"
    argv = [
        "manifest",
        "build",
        "--app-id",
        APP_ID,
        "--out",
        str(out),
        "--terms-url",
        "https://intra.skovde.se/villkor",
    ]
    assert _run_cli(argv) == 0
    with zipfile.ZipFile(out) as archive:
        developer = _json(archive, "manifest.json")["developer"]
    assert developer["privacyUrl"] == "https://www.skovde.se/personuppgifter"
    assert developer["termsOfUseUrl"] == "https://intra.skovde.se/villkor"
    assert developer["name"] == "Skövde kommun"


def test_cli_defaults_work_and_say_the_privacy_page_is_a_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("SKIS_DEVELOPER_URL", "SKIS_PRIVACY_URL", "SKIS_TERMS_URL", "SKIS_DEVELOPER_NAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    assert _run_cli(["manifest", "build", "--app-id", APP_ID]) == 0
    assert (tmp_path / DEFAULT_OUT).is_file()
    assert "SKIS_PRIVACY_URL" in capsys.readouterr().out


@pytest.mark.parametrize(
    "bad", ["12345", "00000000-0000-0000-0000-000000000000", "{1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d}"]
)
def test_cli_rejects_an_app_id_that_is_not_a_guid(
    bad: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        _run_cli(["manifest", "build", "--app-id", bad, "--out", str(tmp_path / "app.zip")])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "--app-id" in err and "is not a GUID" in err and "Application (client) ID" in err
    assert not (tmp_path / "app.zip").exists()


def test_cli_requires_the_app_id(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        _run_cli(["manifest", "build"])
    assert exit_info.value.code == 2
    assert "--app-id" in capsys.readouterr().err


def test_cli_refuses_a_bad_url_from_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKIS_PRIVACY_URL", "http://insecure.skovde.se/")
    code = _run_cli(["manifest", "build", "--app-id", APP_ID, "--out", str(tmp_path / "app.zip")])
    assert code == 2
    assert "privacy URL" in capsys.readouterr().err
    assert not (tmp_path / "app.zip").exists()


def test_the_skis_bot_command_has_manifest_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.cli import main

    monkeypatch.delenv("SKIS_PRIVACY_URL", raising=False)
    out = tmp_path / "app.zip"
    assert (
        main(["manifest", "build", "--app-id", APP_ID, "--domain", "skis-bot.skovde.se", "--out", str(out)])
        == 0
    )
    with zipfile.ZipFile(out) as archive:
        assert _schema_errors(_json(archive, "manifest.json")) == []
