"""Operator tools run from the command line: export, backup and restore, privacy, calendar."""
