"""Fixtures shared by test modules: ``store`` (each backend in turn) and ``pg_url`` (a PostGIS database)."""

from pg_server import pg_url, store  # noqa: F401 - fixtures, registered by being here
