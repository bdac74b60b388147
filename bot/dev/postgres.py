"""A throwaway PostgreSQL server for the tests and the benchmarks: Debian's ``postgresql`` package,
started on a free loopback port in a temporary directory.

initdb refuses to run as root, so as root the cluster is created and run as the ``postgres`` user
(``runuser``). Each caller gets new databases owned by an ordinary role (``skis``: not a superuser,
as the service's role in production), so tests never see each other's rows.

Without the package ``start_server`` raises ``PostgresUnavailable`` saying how to install it; the
PostgreSQL tests then fail with that message, never skipped silently (``.ci/run`` installs it).
tests/pg_server.py re-exports this module for the tests.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROLE = "skis"
PASSWORD = "skis-test"


class PostgresUnavailable(RuntimeError):
    pass


def _bindir() -> Path:
    pg_config = shutil.which("pg_config")
    if pg_config:
        found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False).stdout.strip()
        if found and (Path(found) / "initdb").exists():
            return Path(found)
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    raise PostgresUnavailable("PostgreSQL is not installed (Debian: apt-get install postgresql); .ci/run installs it")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class PostgresServer:
    """One cluster in a temporary directory; ``create_database()`` hands out fresh databases."""

    root: Path
    port: int
    bindir: Path
    _names: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql://{ROLE}:{PASSWORD}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new, empty database owned by the ordinary role; returns its libpq URL."""
        import psycopg

        name = f"skis_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" OWNER {ROLE}')
        return self.url(name)

    def pause(self) -> None:
        """Stop the server (its data stays), as an outage or a failover would; ``resume`` starts it again."""
        _as_postgres([str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "fast", "-w", "stop"])

    def resume(self) -> None:
        _start(self.bindir, self.root, self.port)

    def stop(self) -> None:
        _as_postgres([str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop"],
                     check=False)
        shutil.rmtree(self.root, ignore_errors=True)


def _as_postgres(command: list[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise PostgresUnavailable(f"{' '.join(command)} failed: {result.stderr.strip() or result.stdout.strip()}")
    return result


def _start(bindir: Path, root: Path, port: int) -> None:
    # Durability settings stay as in production (fsync on): the kill -9 tests rely on them.
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=200"
    _as_postgres([str(bindir / "pg_ctl"), "-D", str(root / "data"), "-o", options, "-l", str(root / "server.log"),
                  "-w", "-t", "60", "start"])


def start_server() -> PostgresServer:
    """initdb + pg_ctl start on 127.0.0.1 (about a second); the caller stops it."""
    bindir = _bindir()
    root = Path(tempfile.mkdtemp(prefix="skis-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data = root / "data"
    _as_postgres([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync",
                  "-E", "UTF8", "--locale", "C"])
    port = _free_port()
    _start(bindir, root, port)
    server = PostgresServer(root, port, bindir)
    import psycopg

    with psycopg.connect(server.admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {ROLE} LOGIN PASSWORD '{PASSWORD}' NOSUPERUSER NOCREATEDB NOCREATEROLE")
    return server
