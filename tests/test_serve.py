"""The dashboard server stays on this computer and never phones home.

Each test starts a real Streamlit server from the repository (fake geoparser, free port) with a
``sitecustomize.py`` that logs every non-loopback socket connect / sendto / DNS look-up to a file, talks
to it from 127.0.0.1 only, then checks the log is empty and which addresses the server listens on.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

SITECUSTOMIZE = '''
"""Log every attempt to reach a non-loopback address (test helper, see tests/test_serve.py)."""
import ipaddress
import os
import socket

_LOG = os.environ["CONFLICT_MAP_NETLOG"]


def _local(host):
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = str(host)
    if host in ("", "localhost"):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _note(kind, what):
    with open(_LOG, "a", encoding="utf-8") as fh:
        fh.write(f"{os.getpid()} {kind} {what!r}\\n")


def _address(kind, address):
    if isinstance(address, tuple) and address and not _local(address[0]):
        _note(kind, address)


def _wrap_method(name, where):
    real = getattr(socket.socket, name)

    def wrapper(self, *args, **kwargs):
        if len(args) > where:
            _address(name, args[where])
        return real(self, *args, **kwargs)

    setattr(socket.socket, name, wrapper)


def _wrap_lookup(name):
    real = getattr(socket, name)

    def wrapper(host, *args, **kwargs):
        if not _local(host):
            _note(name, host)
        return real(host, *args, **kwargs)

    setattr(socket, name, wrapper)


_wrap_method("connect", 0)
_wrap_method("connect_ex", 0)
_wrap_method("sendto", -1)
_wrap_method("sendmsg", 3)
for _name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr"):
    _wrap_lookup(_name)
'''


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on ``port`` (from /proc/net/tcp and tcp6)."""
    found: set[str] = set()
    for table, family in (("tcp", socket.AF_INET), ("tcp6", socket.AF_INET6)):
        path = Path("/proc/net") / table
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            local, state = fields[1], fields[3]
            hex_ip, hex_port = local.split(":")
            if state != "0A" or int(hex_port, 16) != port:
                continue
            raw = bytes.fromhex(hex_ip)
            raw = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))  # host-order words
            found.add(socket.inet_ntop(family, raw))
    return found


@contextmanager
def running(args: list[str], tmp_path: Path, extra_env: dict[str, str] | None = None) -> Iterator[tuple[str, Path]]:
    """Start a server command in the repository; yield (base URL on 127.0.0.1, network log); stop it."""
    if not Path("/proc/net/tcp").exists():
        pytest.skip("needs Linux /proc/net/tcp")
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    netlog = tmp_path / "network.log"
    port = _free_port()
    env = {
        **os.environ,
        "CONFLICT_MAP_NETLOG": str(netlog),
        "CONFLICT_MAP_GEOPARSER": "dashboard_fake:geoparse",
        "CONFLICT_MAP_DB": str(tmp_path / "corpus.sqlite"),
        "PYTHONPATH": os.pathsep.join([str(site), str(ROOT / "tests"), os.environ.get("PYTHONPATH", "")]),
        **(extra_env or {}),
    }
    for key in ("CONFLICT_MAP_SHARE", "CONFLICT_MAP_PASSPHRASE"):
        if key not in (extra_env or {}):
            env.pop(key, None)
    out = tmp_path / "server.out"
    with out.open("w") as fh:
        proc = subprocess.Popen(
            [*args, f"--server.port={port}"], cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start:\n{out.read_text()}")
            time.sleep(0.1)
        yield base, netlog
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def fetch_pages(base: str) -> None:
    """The health endpoint and the page, from 127.0.0.1, with urllib."""
    for path in ("/_stcore/health", "/"):
        with urllib.request.urlopen(base + path, timeout=10) as r:
            assert r.status == 200 and r.read()


def foreign_websocket(base: str) -> None:
    """What any web page can make a browser do: a WebSocket to the dashboard from another origin."""
    client = pytest.importorskip("websockets.sync.client")
    ws_url = base.replace("http://", "ws://") + "/_stcore/stream"
    with pytest.raises(Exception, match="403"):
        client.connect(ws_url, origin="http://evil.example", subprotocols=["streamlit"], open_timeout=10)


def run_page_script(base: str) -> str:
    """Open a session as the browser does and run the page once; return how the script ended."""
    client = pytest.importorskip("websockets.sync.client")
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    ws_url = base.replace("http://", "ws://") + "/_stcore/stream"
    with client.connect(ws_url, origin=base, subprotocols=["streamlit"], open_timeout=10, max_size=None) as ws:
        rerun = BackMsg()
        rerun.rerun_script.query_string = ""
        rerun.rerun_script.page_script_hash = ""
        ws.send(rerun.SerializeToString())
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(ws.recv(timeout=60))
            if msg.WhichOneof("type") == "script_finished":
                return ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)


def outside_attempts(netlog: Path) -> str:
    time.sleep(0.3)  # let the server finish writing
    return netlog.read_text() if netlog.exists() else ""


def test_streamlit_run_with_repo_config_stays_on_loopback(tmp_path: Path) -> None:
    """`streamlit run app.py` as is: .streamlit/config.toml alone keeps it on 127.0.0.1, silent."""
    with running([str(BIN / "streamlit"), "run", "app.py"], tmp_path) as (base, netlog):
        fetch_pages(base)
        port = int(base.rsplit(":", 1)[1])
        assert listening_addresses(port) == {"127.0.0.1"}
    assert outside_attempts(netlog) == ""


def test_make_run_never_phones_home_even_for_foreign_origins(tmp_path: Path) -> None:
    """`make run` (conflict_map.web.serve): loopback only; a foreign-origin WebSocket makes no look-up."""
    with running([sys.executable, "-m", "conflict_map.web.serve"], tmp_path) as (base, netlog):
        fetch_pages(base)
        foreign_websocket(base)
        assert run_page_script(base) == "FINISHED_SUCCESSFULLY"
        port = int(base.rsplit(":", 1)[1])
        assert listening_addresses(port) == {"127.0.0.1"}
    assert outside_attempts(netlog) == ""


def test_classroom_mode_listens_on_the_network_and_stays_silent(tmp_path: Path) -> None:
    env = {"CONFLICT_MAP_PASSPHRASE": "invented-passphrase"}
    with running([sys.executable, "-m", "conflict_map.web.serve", "--share"], tmp_path, env) as (base, netlog):
        fetch_pages(base)
        foreign_websocket(base)
        port = int(base.rsplit(":", 1)[1])
        assert listening_addresses(port) == {"0.0.0.0"}
    assert outside_attempts(netlog) == ""
    assert "Classroom mode" in (tmp_path / "server.out").read_text()
