"""Fetch one article by URL, safely: public http(s) addresses only, one total deadline, a size cap.

The dashboard (with *Use the internet* on) and ``conflict-map extract --url`` fetch through :func:`fetch`,
which

* parses the URL itself: ``http``/``https`` only, a host name or IP literal, no ``user@`` part, no
  spaces, control characters or backslashes (anything else is an :class:`InputError`);
* resolves the host itself (``socket.getaddrinfo``; numeric hosts such as ``2130706433`` or ``0x7f.1``
  are decoded the way the C library reads them, without DNS) and refuses loopback, private, link-local,
  multicast, reserved, unspecified and other non-global addresses, including IPv4 addresses carried in
  IPv6 (``::ffff:127.0.0.1``, 6to4, Teredo, NAT64) *before* connecting;
* connects to exactly the address it checked (no second lookup, so DNS rebinding cannot swap it),
  while the ``Host`` header, TLS SNI and certificate check use the host name;
* follows at most :data:`MAX_REDIRECTS` redirects by hand, checking every hop the same way;
* keeps one deadline for the whole fetch (DNS, connect, TLS, headers and body; a watchdog shuts the
  socket at the deadline, so a slow trickle cannot stretch it) and stops reading past ``max_bytes``.

Every failure is an :class:`~conflict_map.errors.InputError` with a one-line reason.

>>> parse_url("https://example.org/news?id=1#top").request_target
'/news?id=1'
>>> refusal_reason(ipaddress.ip_address("169.254.169.254"))
'a link-local address'
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING
from urllib.parse import quote, urljoin, urlsplit

from conflict_map.errors import InputError

if TYPE_CHECKING:
    from conflict_map.ingest.readers import SourceDocument

#: Default limits: the whole fetch (every hop, DNS to last byte) and the body of the final page.
DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
USER_AGENT = "conflict-map/0.1 (fetches one article on request)"
ACCEPT = "text/html,application/xhtml+xml,application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.1"

_CHUNK = 64 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_HOST_RE = re.compile(r"(?=.{1,253}\.?$)[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*\.?")
_NUMERIC_HOST_RE = re.compile(r"[0-9a-fx.]+")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
#: ``resolver(host, port) -> addresses``: replaces ``socket.getaddrinfo`` (tests map invented names).
Resolver = Callable[[str, int], Sequence[str]]
#: ``allow(address, port) -> bool``: True lets one otherwise refused address through (tests only).
AllowHook = Callable[[Address, int], bool]


@dataclass(frozen=True, slots=True)
class Target:
    """A validated URL: what to connect to and what to ask for."""

    scheme: str  # "http" or "https"
    host: str  # lower-case ASCII host name (IDNA) or IP literal without brackets
    port: int
    request_target: str  # path and query, percent-encoded ASCII, never empty
    url: str  # the URL as fetched (normalised, without fragment)

    @property
    def authority(self) -> str:
        """The host for messages: host (IPv6 bracketed) and a non-default port."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


@dataclass(frozen=True, slots=True)
class Fetched:
    """The body of the final page of a fetch and where it came from."""

    data: bytes
    url: str  # final URL, after redirects
    content_type: str  # media type, lower case, without parameters ("text/html"); "" when absent
    charset: str = ""  # the Content-Type charset parameter, if any


# --------------------------------------------------------------------------- URL and addresses


def parse_url(url: str) -> Target:
    """Validate ``url`` (http/https, a host, no user info, no stray characters) -> :class:`Target`."""
    url = (url or "").strip()
    if not url:
        raise InputError("no address given: give a full http:// or https:// address")
    if len(url) > 8192:
        raise InputError("the address is too long (over 8,192 characters)")
    if any(c <= " " or c == "\x7f" or c == "\\" for c in url):
        raise InputError("the address contains spaces, control characters or backslashes")
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced [ in the host
        raise InputError("the address is malformed (check the host and any [ ] around it)") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"{scheme}:" if scheme and scheme.isalnum() and len(scheme) < 20 else "this kind of"
        raise InputError(f"only http:// and https:// addresses are fetched, not {shown} addresses")
    if not parts.netloc:
        raise InputError("the address has no host: give a full http:// or https:// address")
    if "@" in parts.netloc:
        raise InputError("addresses with a user name or password (user@host) are not fetched")
    try:
        port = parts.port
    except ValueError:
        raise InputError("the address has an invalid port number") from None
    if port == 0:
        raise InputError("the address has an invalid port number")
    host = _normal_host(parts.hostname or "", bracketed=parts.netloc.startswith("["))
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="/?%:@!$&'()*+,;=-._~")
    target = path + (f"?{query}" if query else "")
    default = 443 if scheme == "https" else 80
    netloc = f"[{host}]" if ":" in host else host
    if port not in (None, default):
        netloc += f":{port}"
    return Target(scheme, host, port or default, target, f"{scheme}://{netloc}{target}")


def _normal_host(host: str, *, bracketed: bool) -> str:
    """Lower-case ASCII host name or IP literal; InputError when it cannot be a host."""
    if not host:
        raise InputError("the address has no host: give a full http:// or https:// address")
    if bracketed:
        try:
            return str(ipaddress.IPv6Address(host))
        except ValueError:
            raise InputError("the address has an invalid IPv6 host in brackets") from None
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise InputError("the address has an invalid host name") from None
    if not _HOST_RE.fullmatch(ascii_host):
        raise InputError("the address has an invalid host name")
    return ascii_host.rstrip(".") or ascii_host


def numeric_host(host: str) -> Address | None:
    """The IPv4/IPv6 address a host literal stands for, or None for a name that needs DNS.

    Besides dotted quads and IPv6, this decodes the forms ``inet_aton`` (and so ``getaddrinfo``)
    accepts: ``2130706433``, ``0x7f.1``, ``017700000001``, ``127.1``.
    """
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _NUMERIC_HOST_RE.fullmatch(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def refusal_reason(ip: Address) -> str | None:
    """Why ``ip`` must not be fetched from ("a loopback address", ...), or None for a public address."""
    if isinstance(ip, ipaddress.IPv6Address):
        ip = ipaddress.IPv6Address(int(ip))  # without a %zone
        for embedded in _embedded_ipv4(ip):
            reason = refusal_reason(embedded)
            if reason:
                return f"{reason} inside an IPv6 address"
    checks = (
        ("an unspecified address", ip.is_unspecified),
        ("a loopback address", ip.is_loopback),
        ("a link-local address", ip.is_link_local),
        ("a multicast address", ip.is_multicast),
        ("a private address", ip.is_private),
        ("a reserved address", ip.is_reserved),
    )
    for reason, flagged in checks:
        if flagged:
            return reason
    if not ip.is_global:
        return "a non-public address"
    return None


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address carries (mapped, 6to4, Teredo, NAT64)."""
    found: list[ipaddress.IPv4Address] = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)
    if ip in _NAT64:
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found


def check_address(ip: Address, port: int, allow: AllowHook | None = None) -> Address:
    """Return ``ip`` when it may be fetched from; InputError naming the reason otherwise."""
    reason = refusal_reason(ip)
    if reason and not (allow is not None and allow(ip, port)):
        raise InputError(f"refused to fetch from {ip}: {reason} (only public internet addresses are fetched)")
    return ip


# --------------------------------------------------------------------------- deadline and DNS


class _Deadline:
    """One clock for a whole fetch; a watchdog shuts registered sockets when it runs out."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self._timers: list[threading.Timer] = []
        self._guards: list[socket.socket] = []

    def remaining(self) -> float:
        """Seconds left; InputError when none are."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise self.error()
        return left

    @property
    def expired(self) -> bool:
        return time.monotonic() >= self.end

    def error(self) -> InputError:
        return InputError(f"the page took longer than {self.seconds:g} s to fetch (the limit); try again later")

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock`` down when the deadline passes (a duplicate descriptor outlives TLS wrapping)."""
        guard = sock.dup()
        self._guards.append(guard)
        timer = threading.Timer(max(self.end - time.monotonic(), 0.0), _shutdown, (guard,))
        timer.daemon = True
        self._timers.append(timer)
        timer.start()

    def close(self) -> None:
        """Stop the watchdogs and release their descriptors."""
        for timer in self._timers:
            timer.cancel()
        for guard in self._guards:
            guard.close()
        self._timers.clear()
        self._guards.clear()


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


def _getaddrinfo(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return [str(info[4][0]) for info in infos]


def _resolve(
    host: str,
    port: int,
    deadline: _Deadline,
    *,
    resolver: Resolver | None = None,
    allow: AllowHook | None = None,
) -> list[Address]:
    """The acceptable addresses of ``host``, in resolver order; InputError when there is none."""
    literal = numeric_host(host)
    if literal is not None:
        return [check_address(literal, port, allow)]
    lookup = resolver or _getaddrinfo
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["ok"] = list(lookup(host, port))
        except Exception as exc:  # noqa: BLE001 - reported to the caller below
            box["err"] = exc

    worker = threading.Thread(target=run, name="conflict-map-dns", daemon=True)
    worker.start()
    worker.join(deadline.remaining())
    if worker.is_alive():
        raise deadline.error()
    found = box.get("ok")
    if not isinstance(found, list) or not found:
        raise InputError(f"could not find the host {host} (no such name, or no network)")
    accepted: list[Address] = []
    refusals: list[InputError] = []
    for raw in found:
        try:
            ip = ipaddress.ip_address(str(raw))
        except ValueError:
            continue
        try:
            accepted.append(check_address(ip, port, allow))
        except InputError as exc:
            refusals.append(exc)
    if accepted:
        return list(dict.fromkeys(accepted))
    raise refusals[0] if refusals else InputError(f"could not find the host {host}")


# --------------------------------------------------------------------------- connections


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to a host name, over a socket to one checked address."""

    def __init__(self, host: str, port: int, addresses: Sequence[Address], deadline: _Deadline) -> None:
        super().__init__(host, port, timeout=deadline.remaining())
        self._addresses = list(addresses)
        self._deadline = deadline

    def _open(self) -> socket.socket:
        """A TCP connection to the first checked address that answers (never a new DNS lookup)."""
        error: OSError | None = None
        for address in self._addresses:
            try:
                sock = socket.create_connection((str(address), self.port), self._deadline.remaining())
            except OSError as exc:
                error = exc
                continue
            self._deadline.watch(sock)
            sock.settimeout(self._deadline.remaining())
            return sock
        raise error or OSError("no address to connect to")

    def connect(self) -> None:
        self.sock = self._open()


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    """HTTPS to a host name (SNI and certificate checked against it), over a socket to one address."""

    default_port = 443

    def __init__(self, host: str, port: int, addresses: Sequence[Address], deadline: _Deadline) -> None:
        super().__init__(host, port, addresses, deadline)
        self._context = _tls_context()

    def connect(self) -> None:
        self.sock = self._context.wrap_socket(self._open(), server_hostname=self.host)


def _tls_context() -> ssl.SSLContext:
    """The system's trusted certificates, host name checking on (tests swap in their own CA)."""
    return ssl.create_default_context()


def _connection(target: Target, addresses: Sequence[Address], deadline: _Deadline) -> http.client.HTTPConnection:
    cls = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    return cls(target.host, target.port, addresses, deadline)


# --------------------------------------------------------------------------- fetch


def fetch(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT_S,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_redirects: int = MAX_REDIRECTS,
    resolver: Resolver | None = None,
    allow: AllowHook | None = None,
) -> Fetched:
    """GET ``url`` from a public http(s) address, following checked redirects; see the module docstring.

    ``timeout`` bounds the whole fetch (every hop, DNS to last byte); ``max_bytes`` the final body.
    ``resolver`` replaces DNS and ``allow`` may let chosen non-public addresses through: both exist for
    tests and stay unset in the product. Every failure is an InputError with a one-line reason.
    """
    deadline = _Deadline(timeout)
    try:
        target = parse_url(url)
        redirects = 0
        while True:
            addresses = _resolve(target.host, target.port, deadline, resolver=resolver, allow=allow)
            result = _get(target, addresses, deadline, max_bytes)
            if isinstance(result, Fetched):
                return result
            redirects += 1
            if redirects > max_redirects:
                raise InputError(f"too many redirects (more than {max_redirects}); the page was not fetched")
            target = result
    finally:
        deadline.close()


def _get(target: Target, addresses: Sequence[Address], deadline: _Deadline, max_bytes: int) -> Fetched | Target:
    """One request: the page, or the checked target of a redirect."""
    conn = _connection(target, addresses, deadline)
    try:
        conn.request(
            "GET",
            target.request_target,
            headers={"User-Agent": USER_AGENT, "Accept": ACCEPT, "Connection": "close"},
        )
        resp = conn.getresponse()
        if resp.status in _REDIRECTS:
            location = resp.getheader("Location")
            if not location:
                raise InputError(f"{target.authority} answered a redirect without a new address")
            try:
                return parse_url(_join(target.url, location))
            except InputError as exc:
                raise InputError(f"{target.authority} redirected to an address that is not fetched: {exc}") from None
        if not 200 <= resp.status < 300:
            raise InputError(f"{target.authority} answered {resp.status} {_phrase(resp.status)}".rstrip())
        data = _read_body(resp, conn, deadline, max_bytes, target)
        ctype = resp.headers.get_content_type() if resp.getheader("Content-Type") else ""
        charset = resp.headers.get_content_charset() or ""
        return Fetched(data, target.url, ctype, charset)
    except InputError:
        raise
    except ssl.SSLCertVerificationError as exc:
        raise InputError(
            f"the certificate of {target.authority} could not be verified ({exc.verify_message})"
        ) from None
    except (OSError, http.client.HTTPException) as exc:
        if deadline.expired:
            raise deadline.error() from None
        raise InputError(f"could not fetch from {target.authority}: {_describe(exc)}") from None
    finally:
        conn.close()


def _join(base: str, location: str) -> str:
    """The absolute address of a redirect (InputError when it cannot be read)."""
    try:
        return urljoin(base, location.strip())
    except ValueError:
        raise InputError("the address is malformed (check the host and any [ ] around it)") from None


def _phrase(status: int) -> str:
    """The standard reason phrase (the server's own wording is never shown)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _describe(exc: BaseException) -> str:
    """A short reason for a network failure, in our words (no text chosen by the server)."""
    if isinstance(exc, ssl.SSLError):
        return f"secure connection failed ({exc.reason or 'TLS error'})"
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, http.client.HTTPException):
        return f"the answer is not valid HTTP ({type(exc).__name__})"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return type(exc).__name__


def _read_body(
    resp: http.client.HTTPResponse,
    conn: http.client.HTTPConnection,
    deadline: _Deadline,
    max_bytes: int,
    target: Target,
) -> bytes:
    """Read the body in chunks, checking the clock and the size cap."""
    too_big = InputError(
        f"the page at {target.authority} is larger than {_size(max_bytes)} (the limit); "
        "save it and open the file instead"
    )
    length = resp.getheader("Content-Length")
    if length and length.strip().isdigit() and int(length) > max_bytes:
        raise too_big
    chunks: list[bytes] = []
    size = 0
    while True:
        if conn.sock is not None:
            conn.sock.settimeout(deadline.remaining())
        chunk = resp.read1(_CHUNK)
        if deadline.expired:
            raise deadline.error()
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise too_big
        chunks.append(chunk)


def _size(n: int) -> str:
    return f"{n / 1048576:g} MB" if n >= 1048576 else f"{n:,} bytes"


# --------------------------------------------------------------------------- documents

_EXT_BY_TYPE = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "application/pdf": ".pdf",
    "text/plain": ".txt",
}


def file_name(page: Fetched) -> str:
    """A file name for :func:`conflict_map.ingest.readers.read_bytes`: last path segment, extension by type."""
    path = urlsplit(page.url).path
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", path.rstrip("/").rsplit("/", 1)[-1])[:80] or "page"
    ext = _EXT_BY_TYPE.get(page.content_type)
    if ext is None:
        return name if re.search(r"\.(html?|xhtml|pdf|txt)$", name, re.I) else f"{name}.html"
    return name if name.lower().endswith(ext) else f"{name}{ext}"


def fetch_document(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT_S,
    max_bytes: int = DEFAULT_MAX_BYTES,
    resolver: Resolver | None = None,
    allow: AllowHook | None = None,
) -> SourceDocument:
    """Fetch ``url`` (see :func:`fetch`) and read its text with :func:`conflict_map.ingest.readers.read_bytes`."""
    from conflict_map.ingest import readers as sources

    page = fetch(url, timeout=timeout, max_bytes=max_bytes, resolver=resolver, allow=allow)
    doc = sources.read_bytes(page.data, file_name(page))
    doc.url = doc.url or page.url
    return doc
