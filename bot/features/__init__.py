"""The bot's features: one module per command group a person would look for (see registry.py)."""
