"""Exceptions with messages meant for the user (CLI and dashboard show them as they are)."""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix: bad input, an unknown place, a missing file."""


class InputError(UserError):
    """The input text or file cannot be used (empty, binary, wrong encoding, too large)."""


class UnknownPlaceError(UserError):
    """A place name that the gazetteer does not know; carries the closest suggestions."""

    def __init__(self, name: str, suggestions: list[str] | None = None) -> None:
        self.name = name
        self.suggestions = list(suggestions or [])
        hint = f" Did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown place {name!r}.{hint}")
