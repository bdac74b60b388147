"""The PostgreSQL engine: the storage contract of storage/engine.py on a server several instances share."""
