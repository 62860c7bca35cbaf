"""A browser's first page run draws the article and its map only (conflict_map.web.mapstate.first_paint)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from conflict_map.web import mapstate


class _State(dict):  # session state: attribute and item access, like st.session_state
    def __getattr__(self, name: str) -> Any:
        return self[name]

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value


def _session(monkeypatch: pytest.MonkeyPatch, headers: dict[str, str]) -> None:
    monkeypatch.setattr(mapstate, "ss", _State())
    monkeypatch.setattr(mapstate, "st", SimpleNamespace(context=SimpleNamespace(headers=headers)))


def test_a_browsers_first_run_is_the_first_paint_and_only_it(monkeypatch: pytest.MonkeyPatch) -> None:
    _session(monkeypatch, {"User-Agent": "Mozilla/5.0"})
    assert mapstate.first_paint() is True
    assert mapstate.first_paint() is False  # the run the map's first report starts draws everything
    assert mapstate.first_paint() is False


def test_a_session_without_a_browser_gets_everything_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    _session(monkeypatch, {})  # AppTest, scripts
    assert mapstate.first_paint() is False
