"""Who may change the corpus: everyone on this computer; on a shared classroom network, passphrase holders.

By default the dashboard listens on 127.0.0.1 only, and every write (corrections, *Keep in corpus*,
uploads to the corpus) is allowed. ``make run-classroom`` shares it on the local network
(:mod:`conflict_map.web.serve`): then anyone on the network can read, and writes need the passphrase the
teacher set in ``CONFLICT_MAP_PASSPHRASE``. Sharing is also detected when Streamlit was started by
hand on a non-loopback address; without a passphrase, writes are then refused.

The page asks for the passphrase once per session and keeps the answer of :func:`check_passphrase`
in its session state; before each write it asks :func:`writes_allowed` with that flag.

>>> _is_local_address("127.0.0.1"), _is_local_address("0.0.0.0"), _is_local_address(None)
(True, False, False)
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import sys
import unicodedata

#: The teacher's passphrase for writes while sharing (an environment variable of the server process).
PASSPHRASE_ENV = "CONFLICT_MAP_PASSPHRASE"
#: Set to "1" by ``make run-classroom`` (:mod:`conflict_map.web.serve`): the dashboard is shared.
SHARE_ENV = "CONFLICT_MAP_SHARE"
#: Shortest passphrase accepted for sharing.
MIN_PASSPHRASE_CHARS = 8

WRITE_REFUSED = (
    "This dashboard is shared on the classroom network: changing the corpus (corrections, keeping or "
    "uploading articles) needs the teacher's passphrase."
)
WRITE_REFUSED_NO_PASSPHRASE = (
    "This dashboard is shared on the network without a passphrase, so the corpus is read-only. "
    f"To allow changes, restart it with `make run-classroom` and {PASSPHRASE_ENV} set."
)


def configured_passphrase() -> str:
    """The passphrase set for this server ("" when none): surrounding spaces removed, Unicode NFC."""
    return _normal(os.environ.get(PASSPHRASE_ENV, ""))


def _normal(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def _is_local_address(address: str | None) -> bool:
    """True for a loopback bind address (or a Unix socket); None/"" means every interface."""
    if not address:
        return False
    if address == "localhost" or address.startswith("unix://"):
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name or interface address: reachable from the network


def _streamlit_address() -> tuple[bool, str | None]:
    """(inside Streamlit?, its ``server.address``); Streamlit is never imported from here."""
    config = sys.modules.get("streamlit.config")
    if config is None:
        return False, None
    return True, config.get_option("server.address")


def sharing_enabled() -> bool:
    """True when the dashboard may be reached from other computers.

    Either ``make run-classroom`` said so (``CONFLICT_MAP_SHARE=1``), or the running Streamlit server
    listens on something other than a loopback address (e.g. started by hand with ``0.0.0.0``).
    """
    if os.environ.get(SHARE_ENV, "").strip().lower() in ("1", "true", "yes", "on"):
        return True
    in_streamlit, address = _streamlit_address()
    return in_streamlit and not _is_local_address(address)


def passphrase_problem() -> str | None:
    """Why the configured passphrase cannot protect a shared dashboard, or None when it can."""
    phrase = configured_passphrase()
    if not phrase:
        return (
            f"classroom sharing needs a passphrase for changes to the corpus: set {PASSPHRASE_ENV} "
            f"(at least {MIN_PASSPHRASE_CHARS} characters), e.g. {PASSPHRASE_ENV}='...' make run-classroom; "
            "without sharing, `make run` keeps the dashboard on this computer"
        )
    if len(phrase) < MIN_PASSPHRASE_CHARS:
        return f"the passphrase in {PASSPHRASE_ENV} is too short: use at least {MIN_PASSPHRASE_CHARS} characters"
    return None


def check_passphrase(given: str) -> bool:
    """True when ``given`` is the configured passphrase (constant-time compare of SHA-256 digests).

    Always False when no usable passphrase is configured.
    """
    if passphrase_problem() is not None:
        return False
    want = hashlib.sha256(configured_passphrase().encode("utf-8")).digest()
    got = hashlib.sha256(_normal(given or "").encode("utf-8", "surrogatepass")).digest()
    return hmac.compare_digest(want, got)


def writes_allowed(unlocked: bool) -> bool:
    """May this session change the corpus?

    ``unlocked`` is the session's flag, set when :func:`check_passphrase` accepted its passphrase.
    Not sharing: always. Sharing: only with a usable passphrase configured and the session unlocked.
    """
    if not sharing_enabled():
        return True
    return unlocked and passphrase_problem() is None


def write_refusal() -> str:
    """The message to show instead of a write that :func:`writes_allowed` refused."""
    return WRITE_REFUSED if passphrase_problem() is None else WRITE_REFUSED_NO_PASSPHRASE
