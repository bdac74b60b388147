"""A real PostgreSQL server for the tests: the starter lives in bot/dev/postgres.py (the benchmarks
use it too); the tests import it from here."""

from bot.dev.postgres import PASSWORD, ROLE, PostgresServer, PostgresUnavailable, start_server

__all__ = ["PASSWORD", "ROLE", "PostgresServer", "PostgresUnavailable", "start_server"]
