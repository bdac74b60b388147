"""Settings are read once; bad values stop start-up with a message naming the variable."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, Settings

GUID = "8f3c1f2e-1111-4222-8333-944445555666"
TENANT = "b28fdbfd-2b78-4f93-b0f8-8881793f0f8f"


def test_defaults() -> None:
    s = Settings.from_env({})
    assert s.app_id == "" and s.app_type == "SingleTenant" and s.port == 3978 and not s.dev
    assert str(s.timezone) == "Europe/Stockholm" and str(s.data_dir) == "data"


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"PORT": "abc"}, "PORT"),
        ({"PORT": "70000"}, "PORT"),
        ({"SKIS_TIMEZONE": "Mars/Olympus"}, "SKIS_TIMEZONE"),
        ({"MicrosoftAppType": "Whatever"}, "MicrosoftAppType"),
        ({"MicrosoftAppId": "not-a-guid"}, "MicrosoftAppId"),
        ({"MicrosoftAppId": GUID, "MicrosoftAppPassword": "x"}, "MicrosoftAppTenantId"),
        ({"MicrosoftAppId": GUID, "MicrosoftAppTenantId": TENANT}, "MicrosoftAppPassword"),
        ({"SKIS_DEV": "maybe"}, "SKIS_DEV"),
        ({"SKIS_INITIAL_ROLES": "abc:kung"}, "SKIS_INITIAL_ROLES"),
        ({"SKIS_SERVICE_URL_ALLOWLIST": "ftp://x"}, "SKIS_SERVICE_URL_ALLOWLIST"),
    ],
)
def test_bad_values_name_the_variable(env: dict[str, str], names: str) -> None:
    with pytest.raises(ConfigError, match=names):
        Settings.from_env(env)


def test_blank_app_id_needs_dev_mode() -> None:
    with pytest.raises(ConfigError, match="SKIS_DEV"):
        Settings.from_env({}).check_can_serve()
    Settings.from_env({"SKIS_DEV": "1"}).check_can_serve()


def test_full_configuration() -> None:
    s = Settings.from_env(
        {
            "MicrosoftAppId": GUID,
            "MicrosoftAppPassword": "secret",
            "MicrosoftAppTenantId": TENANT,
            "SKIS_INITIAL_ROLES": "aad-1:presidium,ordförande;aad-2:sekreterare",
        }
    )
    s.check_can_serve()
    assert s.allowed_tenants == frozenset({TENANT})
    assert s.initial_roles["aad-2"] == frozenset({"sekreterare"})
    assert "secret" not in repr(s)


def test_municipalities_default_to_skaraborg_and_can_be_configured() -> None:
    from bot.rules.municipalities import DEFAULT_MUNICIPALITIES, municipalities

    assert Settings.from_env({}).municipalities == ()
    assert municipalities(None, Settings.from_env({})) == DEFAULT_MUNICIPALITIES
    own = Settings.from_env({"SKIS_MUNICIPALITIES": "Borås, Ulricehamn; Mark,  borås"})
    assert own.municipalities == ("Borås", "Ulricehamn", "Mark")
    assert municipalities(None, own) == ("Borås", "Ulricehamn", "Mark")
