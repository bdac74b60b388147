"""Benchmarks: `make bench` (python -m bench) measures the bot against a stock Bot Framework bot."""
