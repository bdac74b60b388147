"""``skis-bot db status|upgrade`` against the real server, run as the operator runs them."""

from __future__ import annotations

import socket
import subprocess

import psycopg
import pytest

from bot.cli import main
from bot.ops.db import DatabaseUrlError, database_url, describe
from storage.postgres import migrations
from tests.pg_server import PASSWORD, PostgresServer
from tests.storage.postgres.cli import REPO, cli_env, command, run

pytestmark = pytest.mark.postgres

LATEST = max(m.version for m in migrations.migrations())


def applied_rows(url: str) -> list[int]:
    with psycopg.connect(url) as conn:
        return [r[0] for r in conn.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()]


def test_status_on_an_empty_database_says_what_is_pending(pg_url: str) -> None:
    result = run("db", "status", url=pg_url)
    assert result.returncode == 0, result.stderr
    assert "schema version 0" in result.stdout and "pending" in result.stdout and "0001_documents" in result.stdout
    assert "skis-bot db upgrade" in result.stdout


def test_upgrade_applies_then_status_is_current_and_a_second_upgrade_does_nothing(pg_url: str) -> None:
    first = run("db", "upgrade", url=pg_url)
    assert first.returncode == 0, first.stderr
    assert "applied 0001_documents" in first.stdout and f"schema version {LATEST}" in first.stdout
    status = run("db", "status", url=pg_url)
    assert status.returncode == 0 and f"schema version {LATEST}; up to date" in status.stdout
    again = run("db", "upgrade", url=pg_url)
    assert again.returncode == 0, again.stderr
    assert "already up to date" in again.stdout
    assert applied_rows(pg_url) == [m.version for m in migrations.migrations()]


def test_two_upgrades_started_together_on_an_empty_database_both_succeed_and_migrate_once(pg_url: str) -> None:
    procs = [subprocess.Popen(command("db", "upgrade"), env=cli_env(pg_url), cwd=REPO, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    results = [(p.wait(timeout=60), *p.communicate()) for p in procs]
    assert [code for code, _out, _err in results] == [0, 0], results
    outs = [out for _code, out, _err in results]
    assert sum("applied 0001_documents" in out for out in outs) == 1, outs
    assert sum("already up to date" in out for out in outs) == 1, outs
    assert applied_rows(pg_url) == [m.version for m in migrations.migrations()]


def cli_in_process(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], url: str | None,
                   *args: str) -> tuple[int, str, str]:
    """``skis-bot <args>`` in this process (the error paths; the others run as a subprocess)."""
    if url is None:
        monkeypatch.delenv("SKIS_DATABASE_URL", raising=False)
    else:
        monkeypatch.setenv("SKIS_DATABASE_URL", url)
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("url", "says"), [
    (None, "SKIS_DATABASE_URL is not set"),
    ("  ", "SKIS_DATABASE_URL is not set"),
    ("host=db user=skis", "must be a libpq URL"),
    ("postgresql://skis@db/skis?nosuchoption=1", "not a valid libpq URL"),
    (f"postgresql://skis:{PASSWORD}@[db/skis", "not a valid libpq URL"),
])
def test_no_usable_url_is_one_clear_line_and_exit_2(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                                     url: str | None, says: str) -> None:
    for sub in ("status", "upgrade"):
        code, out, err = cli_in_process(monkeypatch, capsys, url, "db", sub)
        assert code == 2 and out == ""
        assert err.startswith(f"skis-bot db {sub}: ") and says in err and err.count("\n") == 1
        assert PASSWORD not in err


def test_an_unreachable_server_is_one_line_and_exit_2_without_the_password(
        pg_server: PostgresServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    for url in (f"postgresql://skis:{PASSWORD}@127.0.0.1:{port}/skis", pg_server.url("no_such_database")):
        for sub in ("status", "upgrade"):
            code, out, err = cli_in_process(monkeypatch, capsys, url, "db", sub)
            assert code == 2 and out == ""
            assert err.startswith(f"skis-bot db {sub}: cannot use the database skis@127.0.0.1:"), err
            assert err.count("\n") == 1 and PASSWORD not in err


@pytest.mark.parametrize(("url", "shown"), [
    ("postgresql://skis:secret@db.example:5433/skisdb", "skis@db.example:5433/skisdb"),
    ("postgresql://skis@db.example/skisdb?sslmode=require", "skis@db.example:5432/skisdb"),
    ("postgres://db.example", "db.example:5432/"),
])
def test_messages_name_the_database_without_its_password(url: str, shown: str) -> None:
    conninfo = database_url({"SKIS_DATABASE_URL": url})
    assert describe(conninfo) == shown and "secret" not in describe(conninfo)
    assert "connect_timeout" in conninfo


def test_a_url_with_its_own_connect_timeout_is_kept() -> None:
    url = "postgresql://skis@db.example/skisdb?connect_timeout=3"
    assert database_url({"SKIS_DATABASE_URL": url}) == url
    with pytest.raises(DatabaseUrlError):
        database_url({})
