"""Start the dashboard: on this computer only (``make run``), or shared with a classroom (``make run-classroom``).

``python -m conflict_map.web.serve [--share] [STREAMLIT OPTIONS]`` runs ``streamlit run app.py`` in this
process, with

* ``server.address`` 127.0.0.1 (or 0.0.0.0 with ``--share``, which first requires a passphrase in
  ``CONFLICT_MAP_PASSPHRASE`` and then sets ``CONFLICT_MAP_SHARE=1`` for :mod:`conflict_map.web.access`);
* no outside connection of any kind: headless, no usage statistics, and Streamlit's look-ups of this
  machine's addresses replaced by local ones. Streamlit 1.67 otherwise opens a UDP socket towards
  8.8.8.8 and asks checkip.amazonaws.com for the external IP, at start when it listens on every
  interface, and whenever a WebSocket arrives from a foreign origin (any web page can make a browser
  do that to 127.0.0.1). This machine's addresses are read from its interfaces instead (no packet sent).
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import socket
import struct
import sys
from collections.abc import Sequence

from conflict_map.web import access

#: Streamlit options set on the command line (they beat any config file, wherever it is started from).
FIXED_OPTIONS = (
    "--server.headless=true",
    "--browser.gatherUsageStats=false",
    "--server.enableXsrfProtection=true",
    "--server.enableCORS=true",
)


def lan_addresses() -> list[str]:
    """IPv4 addresses of this machine's network interfaces, without loopback (Linux; else [])."""
    try:
        import fcntl
    except ImportError:  # not a Unix
        return []
    found: list[str] = []
    for _index, name in socket.if_nameindex():
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            try:  # SIOCGIFADDR: the interface's address, asked of the kernel, not the network
                packed = fcntl.ioctl(s.fileno(), 0x8915, struct.pack("256s", name[:15].encode()))
            except OSError:
                continue
        ip = ipaddress.IPv4Address(packed[20:24])
        if not (ip.is_loopback or ip.is_link_local or ip.is_unspecified) and str(ip) not in found:
            found.append(str(ip))
    return found


def keep_streamlit_at_home(internal_ip: str | None) -> None:
    """Replace Streamlit's address look-ups (UDP to 8.8.8.8, HTTP to checkip) with local answers."""
    from streamlit import net_util

    def get_internal_ip() -> str | None:
        return internal_ip

    def get_external_ip() -> str | None:
        return None

    net_util.get_internal_ip = get_internal_ip
    net_util.get_external_ip = get_external_ip


def streamlit_args(share: bool, extra: Sequence[str], app: str = "app.py") -> list[str]:
    """The ``streamlit`` command line (without the program name)."""
    address = "0.0.0.0" if share else "127.0.0.1"  # noqa: S104 - sharing is the teacher's explicit choice
    return ["run", app, f"--server.address={address}", *FIXED_OPTIONS, *extra]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m conflict_map.web.serve",
        description="Start the dashboard on 127.0.0.1 (this computer only), or with --share on the local "
        f"network for a classroom (needs {access.PASSPHRASE_ENV}). Other options go to Streamlit.",
    )
    parser.add_argument("--share", action="store_true", help="listen on every interface (classroom mode)")
    parser.add_argument("--app", default="app.py", help="the Streamlit script (default: app.py)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Check the mode, then run Streamlit in this process (returns only on a refusal)."""
    args, extra = build_parser().parse_known_args(argv)
    if any(a.startswith("--server.address") for a in extra):
        print("conflict-map: error: use --share to listen on the network, not --server.address", file=sys.stderr)
        return 2
    internal_ip = None
    if args.share:
        problem = access.passphrase_problem()
        if problem:
            print(f"conflict-map: error: {problem}", file=sys.stderr)
            return 2
        os.environ[access.SHARE_ENV] = "1"
        addresses = lan_addresses()
        internal_ip = addresses[0] if addresses else None
        shown = ", ".join(addresses) or "this computer's address"
        print(
            f"Classroom mode: the dashboard is shared on the local network ({shown}). Anyone there can read it; "
            "changes to the corpus ask for the passphrase.",
            file=sys.stderr,
        )
    else:
        os.environ.pop(access.SHARE_ENV, None)
    keep_streamlit_at_home(internal_ip)
    from streamlit.web import cli as stcli

    return int(stcli.main(args=streamlit_args(args.share, extra, args.app), prog_name="streamlit") or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
