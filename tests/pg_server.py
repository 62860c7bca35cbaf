"""A throwaway PostgreSQL + PostGIS server for the tests, and the ``store`` fixture over both backends.

One server per test process (started on first use, stopped at exit): ``initdb`` in a temporary folder,
listening on 127.0.0.1 only (a free port) and on a unix socket in that folder, fsync off. As root, the
server runs as ``nobody`` (PostgreSQL refuses root). The Debian binaries are used explicitly
(``/usr/lib/postgresql/15/bin``, or ``$CONFLICT_MAP_PG_BIN``): ``/usr/local/bin/initdb`` may be another version.

Roles: ``postgres`` (superuser, trusted on the socket) and ``cm`` (password ``cm-secret``, checked with
SCRAM on TCP; owns the test databases, not a superuser). :meth:`Server.new_database` copies a template
that has PostGIS; :meth:`Server.plain_database` has none.

Test modules import the fixtures: ``from pg_server import store  # noqa: F401``.
"""

from __future__ import annotations

import atexit
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_BIN = Path(os.environ.get("CONFLICT_MAP_PG_BIN", "/usr/lib/postgresql/15/bin"))
USER, PASSWORD = "cm", "cm-secret"


def missing() -> str:
    """Why no server can start here ("" when one can)."""
    for tool in ("initdb", "pg_ctl", "postgres"):
        if not (PG_BIN / tool).is_file():
            return f"PostgreSQL 15 binaries not found in {PG_BIN} (make setup installs postgresql-15-postgis-3)"
    share = subprocess.run([str(PG_BIN / "pg_config"), "--sharedir"], capture_output=True, text=True).stdout.strip()
    if not (Path(share) / "extension" / "postgis.control").is_file():
        return "PostGIS is not installed for PostgreSQL 15 (make setup installs postgresql-15-postgis-3)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (make setup installs it)"
    return ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A running throwaway server."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="cm-pg-"))
        self.port = _free_port()
        self._as: list[str] = []
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            os.chown(self.dir, nobody.pw_uid, nobody.pw_gid)
            self._as = ["runuser", "-u", "nobody", "--"] if shutil.which("runuser") else ["setpriv", "--reuid=nobody",
                        "--regid=nogroup", "--clear-groups"]  # fmt: skip
        self._counter = itertools.count(1)
        self._run("initdb", "-D", str(self.dir / "data"), "-U", "postgres", "--auth-local=trust",
                  "--auth-host=scram-sha-256", "--no-sync", "-E", "UTF8", "--no-locale")  # fmt: skip
        opts = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
        )
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-o", opts, "-l", str(self.dir / "log"), "-w", "start")
        self._setup()

    def _run(self, tool: str, *args: str) -> None:
        proc = subprocess.run([*self._as, str(PG_BIN / tool), *args], capture_output=True, text=True, cwd=self.dir)
        if proc.returncode != 0:
            log = (self.dir / "log").read_text(errors="replace")[-2000:] if (self.dir / "log").exists() else ""
            raise RuntimeError(f"{tool} failed: {proc.stderr[-2000:]}\n{log}")

    def admin(self, dbname: str = "postgres"):  # -> psycopg.Connection
        import psycopg

        return psycopg.connect(host=str(self.dir), port=self.port, user="postgres", dbname=dbname, autocommit=True)

    def _setup(self) -> None:
        with self.admin() as conn:
            conn.execute(f"CREATE ROLE {USER} LOGIN PASSWORD '{PASSWORD}'")
            conn.execute(f"CREATE DATABASE cm_template OWNER {USER}")
            conn.execute(f"CREATE DATABASE cm_plain OWNER {USER}")
        with self.admin("cm_template") as conn:
            conn.execute("CREATE EXTENSION postgis")

    def url(self, dbname: str, password: str = PASSWORD) -> str:
        """``postgresql://cm:PASSWORD@127.0.0.1:PORT/dbname``."""
        return f"postgresql://{USER}:{password}@127.0.0.1:{self.port}/{dbname}"

    def new_database(self) -> str:
        """The URL of a new, empty database with PostGIS."""
        name = f"cm_test_{next(self._counter)}"
        with self.admin() as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE cm_template OWNER {USER}")
        return self.url(name)

    def plain_database(self) -> str:
        """The URL of a database without PostGIS (``cm`` may not create the extension)."""
        return self.url("cm_plain")

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        subprocess.run([*self._as, str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "stop"],
                       capture_output=True)  # fmt: skip
        shutil.rmtree(self.dir, ignore_errors=True)


_SERVER: Server | None = None


def server() -> Server:
    """The process's server (started on first use); the test is skipped when PostgreSQL/PostGIS is missing."""
    global _SERVER
    reason = missing()
    if reason:
        pytest.skip(reason)
    if _SERVER is None:
        _SERVER = Server()
        atexit.register(_SERVER.stop)
    return _SERVER


@pytest.fixture
def pg_url() -> str:
    """A new PostGIS database of the throwaway server."""
    return server().new_database()


@pytest.fixture(params=["sqlite", "postgis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[object]:
    """An empty corpus in each backend: a SQLite file, then a PostGIS database."""
    from conflict_map.store.factory import open_store

    target = str(tmp_path / "c.sqlite") if request.param == "sqlite" else server().new_database()
    s = open_store(target)
    try:
        yield s
    finally:
        s.close()
