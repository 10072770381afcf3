"""Fixtures shared by the command-line tests: the small demo store, built once a session."""

from tests.cli.demo_store import demo_file, store_db, summary

__all__ = ["demo_file", "store_db", "summary"]
