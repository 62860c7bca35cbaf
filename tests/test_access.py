"""Classroom access: loopback by default, sharing only with a passphrase, writes only for its holders."""

from __future__ import annotations

import ipaddress
import sys
import types

import pytest

from conflict_map.web import access, serve

PHRASE = "invented-passphrase"
REAL_STREAMLIT_ADDRESS = access._streamlit_address


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(access.PASSPHRASE_ENV, raising=False)
    monkeypatch.delenv(access.SHARE_ENV, raising=False)
    monkeypatch.setattr(access, "_streamlit_address", lambda: (False, None))


def share(monkeypatch: pytest.MonkeyPatch, phrase: str | None = PHRASE) -> None:
    monkeypatch.setenv(access.SHARE_ENV, "1")
    if phrase is not None:
        monkeypatch.setenv(access.PASSPHRASE_ENV, phrase)


def test_not_sharing_by_default_and_every_write_allowed() -> None:
    assert not access.sharing_enabled()
    assert access.writes_allowed(False) and access.writes_allowed(True)
    assert not access.check_passphrase("")  # nothing configured: nothing matches


def test_sharing_with_passphrase_needs_the_passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    share(monkeypatch)
    assert access.sharing_enabled()
    assert not access.writes_allowed(False)
    assert access.writes_allowed(True)
    assert access.check_passphrase(PHRASE)
    assert access.check_passphrase(f"  {PHRASE}\n")  # surrounding spaces from copy and paste
    for wrong in ("", "invented", PHRASE.upper(), PHRASE + "x", "\udcff", "{{ 7*7 }}"):
        assert not access.check_passphrase(wrong)
    assert "passphrase" in access.write_refusal()


def test_sharing_without_passphrase_is_read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    share(monkeypatch, phrase=None)
    assert access.passphrase_problem() and "CONFLICT_MAP_PASSPHRASE" in access.passphrase_problem()
    assert not access.writes_allowed(True)  # even a session that claims to be unlocked
    assert not access.check_passphrase("")
    assert "read-only" in access.write_refusal()
    monkeypatch.setenv(access.PASSPHRASE_ENV, "short")
    assert "too short" in (access.passphrase_problem() or "")
    assert not access.check_passphrase("short") and not access.writes_allowed(True)


@pytest.mark.parametrize(
    ("address", "shared"),
    [("127.0.0.1", False), ("::1", False), ("localhost", False), ("unix:///tmp/s", False)]
    + [("0.0.0.0", True), ("::", True), ("192.168.1.20", True), (None, True), ("", True), ("myhost", True)],
)
def test_streamlit_started_by_hand_on_the_network_counts_as_sharing(
    address: str | None, shared: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(access, "_streamlit_address", lambda: (True, address))
    assert access.sharing_enabled() is shared
    assert access.writes_allowed(False) is not shared  # no passphrase configured


def test_inside_streamlit_reads_server_address(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = types.SimpleNamespace(get_option=lambda name: {"server.address": "0.0.0.0"}[name])
    monkeypatch.setitem(sys.modules, "streamlit.config", fake)
    assert REAL_STREAMLIT_ADDRESS() == (True, "0.0.0.0")
    monkeypatch.delitem(sys.modules, "streamlit.config")
    assert REAL_STREAMLIT_ADDRESS() == (False, None)  # outside Streamlit: the environment decides


# --------------------------------------------------------------------------- the launcher


def test_share_refused_without_passphrase(capsys: pytest.CaptureFixture[str]) -> None:
    assert serve.main(["--share"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("conflict-map: error: classroom sharing needs a passphrase")
    assert err.count("\n") == 1


def test_share_refused_with_short_passphrase(monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # noqa: ANN001
    monkeypatch.setenv(access.PASSPHRASE_ENV, "abc")
    assert serve.main(["--share"]) == 2
    assert "too short" in capsys.readouterr().err


def test_address_option_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert serve.main(["--server.address=0.0.0.0"]) == 2
    assert "--share" in capsys.readouterr().err


def test_streamlit_command_line() -> None:
    args = serve.streamlit_args(False, ["--server.port=9999"])
    assert args[:3] == ["run", "app.py", "--server.address=127.0.0.1"]
    assert "--browser.gatherUsageStats=false" in args and "--server.headless=true" in args
    assert args[-1] == "--server.port=9999"
    assert serve.streamlit_args(True, [])[2] == "--server.address=0.0.0.0"


def test_lan_addresses_are_read_locally() -> None:
    for a in serve.lan_addresses():
        ip = ipaddress.IPv4Address(a)
        assert not ip.is_loopback and not ip.is_link_local
