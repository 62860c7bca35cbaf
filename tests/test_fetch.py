"""The safe URL fetcher: public http(s) addresses only, checked redirects, one deadline, a size cap.

Local test servers run on 127.0.0.1; the default fetch refuses them (and nothing reaches them), while
``allow=`` lets a test reach its own server on purpose.
"""

from __future__ import annotations

import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from hostile import PAYLOADS

from conflict_map.cli.main import main
from conflict_map.errors import InputError
from conflict_map.ingest import fetch
from conflict_map.web import page as dashboard

ARTICLE = (
    b"<html><head><title>Shelling near Rawa</title></head>"
    b"<body><p>Invented report: shelling near Rawa.</p></body></html>"
)


class Handler(BaseHTTPRequestHandler):
    """Routes: /page, /plain, /redirect?to=URL, /loop/N, /chain/N, /big, /declared-big, /slow, /slow-headers."""

    server: LocalServer

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        self.server.seen.append((self.path, self.headers.get("Host", "")))
        url = urlsplit(self.path)
        parts = url.path.strip("/").split("/")
        try:
            if url.path == "/page":
                self._send(200, ARTICLE, "text/html; charset=utf-8")
            elif url.path == "/plain":
                self._send(200, b"Invented note: fighting near Haditha.", "text/plain")
            elif url.path == "/redirect":
                self._redirect(parse_qs(url.query)["to"][0])
            elif parts[0] == "loop":
                self._redirect(f"/loop/{int(parts[1]) + 1}")
            elif parts[0] == "chain":
                n = int(parts[1])
                self._redirect(f"/chain/{n - 1}" if n > 0 else "/page")
            elif url.path == "/big":
                self._stream(b"x" * 65536, 100)  # 6.25 MB, no Content-Length
            elif url.path == "/declared-big":
                self.send_response(200)
                self.send_header("Content-Length", str(50 * 1024 * 1024))
                self.end_headers()
            elif url.path == "/slow":
                self._stream(b"x", 60, pause=0.1)  # a byte every 0.1 s for 6 s
            elif url.path == "/raw":  # whatever bytes the test put in server.raw
                self.wfile.write(self.server.raw)
            elif url.path == "/slow-headers":
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                for _ in range(60):
                    self.wfile.write(b"X-Slow: 1\r\n")
                    self.wfile.flush()
                    time.sleep(0.1)
            else:
                self._send(404, b"not here", "text/plain")
        except OSError:  # the client hung up (deadline or size cap): expected
            self.server.aborted.set()

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, to: str) -> None:
        self.send_response(302)
        self.send_header("Location", to)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _stream(self, chunk: bytes, times: int, pause: float = 0.0) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        for _ in range(times):
            self.wfile.write(chunk)
            self.wfile.flush()
            if pause:
                time.sleep(pause)


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.seen: list[tuple[str, str]] = []
        self.aborted = threading.Event()
        self.raw = b""
        self.connections = 0

    def get_request(self) -> tuple[socket.socket, object]:
        self.connections += 1
        return super().get_request()

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def url(self, path: str = "/page") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def _serve(server: ThreadingHTTPServer) -> Iterator[None]:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture()
def server() -> Iterator[LocalServer]:
    srv = LocalServer()
    yield from (srv for _ in _serve(srv))


@pytest.fixture()
def bystander() -> Iterator[LocalServer]:
    """A second loopback server that must never be reached (redirect targets)."""
    srv = LocalServer()
    yield from (srv for _ in _serve(srv))


def allow_port(port: int):  # noqa: ANN201 - returns fetch.AllowHook
    """Let loopback connections to one test server's port through, nothing else."""
    return lambda ip, p: ip.is_loopback and p == port


# --------------------------------------------------------------------------- refusals before connecting

REFUSED_HOSTS = [
    "127.0.0.1",
    "localhost",
    "0.0.0.0",
    "0",
    "2130706433",
    "0x7f.1",
    "0x7f000001",
    "017700000001",
    "127.1",
    "[::1]",
    "[::]",
    "[::ffff:127.0.0.1]",
    "[::ffff:169.254.169.254]",
    "[64:ff9b::a00:1]",
    "[2002:7f00:1::]",
    "169.254.169.254",
    "[fe80::1]",
    "10.0.0.8",
    "172.16.3.4",
    "192.168.1.1",
    "100.64.0.1",
    "224.0.0.251",
    "[ff02::1]",
    "240.0.0.1",
    "255.255.255.255",
    "[fd00::1]",
]


@pytest.mark.parametrize("host", REFUSED_HOSTS)
def test_private_addresses_are_refused_before_connecting(host: str, server: LocalServer) -> None:
    url = f"http://{host}:{server.port}/page"
    with pytest.raises(InputError, match=r"refused to fetch from .*only public internet addresses") as err:
        fetch.fetch(url, timeout=2)
    assert "\n" not in str(err.value)
    assert server.connections == 0


def test_default_refuses_the_loopback_test_server_allow_reaches_it(server: LocalServer) -> None:
    with pytest.raises(InputError, match="loopback"):
        fetch.fetch(server.url())
    assert server.connections == 0
    page = fetch.fetch(server.url(), allow=allow_port(server.port))
    assert page.data == ARTICLE
    assert page.url == server.url() and page.content_type == "text/html" and page.charset == "utf-8"


def test_a_name_resolving_to_a_private_address_is_refused(server: LocalServer) -> None:
    calls: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        calls.append(host)
        return ["10.1.2.3", "192.168.0.9"]

    with pytest.raises(InputError, match="10.1.2.3: a private address"):
        fetch.fetch("http://intranet.example/", resolver=resolver)
    assert calls == ["intranet.example"]


def test_connects_to_the_checked_address_with_the_host_name_in_host_header(server: LocalServer) -> None:
    calls: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        calls.append(host)  # a rebinding resolver would answer differently the second time
        return ["127.0.0.1"] if len(calls) == 1 else ["10.9.9.9"]

    page = fetch.fetch(f"http://news.example:{server.port}/page", resolver=resolver, allow=allow_port(server.port))
    assert page.data == ARTICLE
    assert calls == ["news.example"]  # one lookup, the address checked is the address connected to
    assert server.seen == [("/page", f"news.example:{server.port}")]


def test_numeric_hosts_are_decoded_without_dns() -> None:
    for host, ip in [("2130706433", "127.0.0.1"), ("0x7f.1", "127.0.0.1"), ("8.8.8.8", "8.8.8.8"), ("::1", "::1")]:
        assert fetch.numeric_host(host) == ipaddress.ip_address(ip)
    assert fetch.numeric_host("example.org") is None
    assert fetch.numeric_host("cafe") is None
    assert fetch.refusal_reason(ipaddress.ip_address("93.184.215.14")) is None
    assert fetch.refusal_reason(ipaddress.ip_address("2606:4700::1111")) is None


# --------------------------------------------------------------------------- malformed URLs

MALFORMED = {
    "": "no address",
    "   ": "no address",
    "example.org/news": "only http",
    "javascript:alert(1)": "only http",
    "file:///etc/passwd": "only http",
    "ftp://example.org/a.txt": "only http",
    "gopher://example.org/": "only http",
    "http://": "no host",
    "http:///path": "no host",
    "https://user:pw@example.org/": "user name or password",
    "http://example.org@127.0.0.1/": "user name or password",
    "http://exa mple.org/": "spaces",
    "http://example.org/\x00": "control characters",
    "http://example.org\\@127.0.0.1/": "backslashes",
    "http://example.org:99999/": "port",
    "http://example.org:0/": "port",
    "http://example.org:http/": "port",
    "http://[::1/": "malformed",
    "http://[not-ip]/": "malformed|IPv6",
    "http://%31%32%37.0.0.1/": "host name",
    "http://exa_mple..org/": "host name",
    "http://" + "a" * 64 + ".org/": "host name",
    "http://example.org/" + "a" * 9000: "too long",
}


@pytest.mark.parametrize("url", list(MALFORMED))
def test_malformed_urls_get_one_clear_line(url: str) -> None:
    with pytest.raises(InputError, match=MALFORMED[url]) as err:
        fetch.fetch(url, timeout=1)
    msg = str(err.value)
    assert msg and "\n" not in msg and len(msg) < 300


def test_parse_url_normalises() -> None:
    t = fetch.parse_url("  HTTPS://Example.ORG:443/a b/é?q=ü#frag ".replace(" b", "b"))
    assert (t.scheme, t.host, t.port) == ("https", "example.org", 443)
    assert t.request_target == "/ab/%C3%A9?q=%C3%BC"
    assert t.url == "https://example.org/ab/%C3%A9?q=%C3%BC"
    assert fetch.parse_url("http://bücher.example:8080").url == "http://xn--bcher-kva.example:8080/"
    assert fetch.parse_url("http://[2606:4700::1111]/").authority == "[2606:4700::1111]"


# --------------------------------------------------------------------------- redirects


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{port}/page",
        "http://localhost:{port}/page",
        "http://0.0.0.0:{port}/page",
        "http://2130706433:{port}/page",
        "http://0x7f.1:{port}/page",
        "http://[::1]:{port}/page",
        "http://[::ffff:127.0.0.1]:{port}/page",
        "http://169.254.169.254/latest/meta-data/",
    ],
)
def test_redirects_to_private_addresses_are_refused(target: str, server: LocalServer, bystander: LocalServer) -> None:
    to = target.format(port=bystander.port)
    with pytest.raises(InputError, match="refused to fetch from"):
        fetch.fetch(server.url(f"/redirect?to={to}"), allow=allow_port(server.port))
    assert server.connections == 1
    assert bystander.connections == 0


@pytest.mark.parametrize(
    ("to", "reason"),
    [
        ("ftp://example.org/file.txt", "only http"),
        ("file:///etc/passwd", "only http"),
        ("javascript:alert(1)", "only http"),
        ("http://user@example.org/", "addresses with a user name"),
    ],
)
def test_redirects_to_other_schemes_are_refused(to: str, reason: str, server: LocalServer) -> None:
    with pytest.raises(InputError, match=f"redirected to an address that is not fetched: {reason}"):
        fetch.fetch(server.url(f"/redirect?to={to}"), allow=allow_port(server.port))


def test_redirects_are_followed_up_to_five(server: LocalServer) -> None:
    page = fetch.fetch(server.url("/chain/4"), allow=allow_port(server.port))  # 5 redirects
    assert page.data == ARTICLE and page.url == server.url("/page")
    with pytest.raises(InputError, match=r"too many redirects \(more than 5\)"):
        fetch.fetch(server.url("/loop/0"), allow=allow_port(server.port))
    assert server.seen[-1][0] == "/loop/5"  # the sixth redirect was not followed


def test_http_errors_are_one_line(server: LocalServer) -> None:
    with pytest.raises(InputError, match=r"answered 404 Not Found"):
        fetch.fetch(server.url("/missing"), allow=allow_port(server.port))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_server_text_never_reaches_the_message(payload: str, server: LocalServer) -> None:
    """Reason phrases, broken status lines and bad redirect targets are described in our words."""
    raw = " ".join(payload.split()).encode("utf-8", "replace")
    allow = allow_port(server.port)
    answers = [
        b"HTTP/1.1 500 " + raw + b"\r\nContent-Length: 0\r\n\r\n",
        raw + b"\r\n\r\n",
        b"HTTP/1.1 302 Found\r\nLocation: javascript:" + raw + b"\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 302 Found\r\nLocation: http://" + raw + b"/\r\nContent-Length: 0\r\n\r\n",
    ]
    for answer in answers:
        server.raw = answer
        with pytest.raises(InputError) as err:
            fetch.fetch(server.url("/raw"), allow=allow, timeout=2)
        msg = str(err.value)
        assert "\n" not in msg
        assert not any(len(p) > 3 and p in msg for p in PAYLOADS), msg


def test_closed_port_is_one_line() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(InputError, match="could not fetch from 127.0.0.1"):
        fetch.fetch(f"http://127.0.0.1:{port}/", allow=allow_port(port), timeout=2)


# --------------------------------------------------------------------------- size and time limits


def test_oversized_body_is_cut_off(server: LocalServer) -> None:
    allow = allow_port(server.port)
    with pytest.raises(InputError, match=r"larger than 5 MB \(the limit\)"):
        fetch.fetch(server.url("/big"), allow=allow)
    with pytest.raises(InputError, match=r"larger than 5 MB"):
        fetch.fetch(server.url("/declared-big"), allow=allow)
    with pytest.raises(InputError, match=r"larger than 10 bytes"):
        fetch.fetch(server.url("/plain"), allow=allow, max_bytes=10)


@pytest.mark.parametrize("path", ["/slow", "/slow-headers"])
def test_slow_pages_hit_the_total_deadline(path: str, server: LocalServer) -> None:
    # every byte arrives well within any per-read timeout; only a total deadline stops this
    with pytest.raises(InputError, match=r"took longer than 0.6 s"):
        fetch.fetch(server.url(path), allow=allow_port(server.port), timeout=0.6)
    assert server.aborted.wait(5)  # the client hung up before the 6 s trickle was over


def test_dns_counts_against_the_deadline() -> None:
    def slow_resolver(host: str, port: int) -> list[str]:
        time.sleep(2)
        return ["93.184.215.14"]

    with pytest.raises(InputError, match="took longer than 0.3 s"):
        fetch.fetch("http://slow-dns.example/", resolver=slow_resolver, timeout=0.3)


# --------------------------------------------------------------------------- https: SNI and certificate


@pytest.fixture()
def tls_server(tmp_path: Path) -> Iterator[tuple[LocalServer, ssl.SSLContext, list[str]]]:
    """An HTTPS server on 127.0.0.1 with a self-signed certificate for news.example."""
    if not shutil.which("openssl"):
        pytest.skip("openssl missing")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        + ["-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=news.example"]
        + ["-addext", "subjectAltName=DNS:news.example"],
        check=True,
        capture_output=True,
    )
    names: list[str] = []
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)
    server_ctx.sni_callback = lambda sock, name, ctx: names.append(name)  # type: ignore[assignment,misc,func-returns-value]
    srv = LocalServer()
    srv.socket = server_ctx.wrap_socket(srv.socket, server_side=True)
    client_ctx = ssl.create_default_context(cafile=str(cert))
    for _ in _serve(srv):
        yield srv, client_ctx, names


def test_https_uses_sni_and_checks_the_certificate(tls_server, monkeypatch) -> None:  # noqa: ANN001
    srv, client_ctx, names = tls_server
    resolver = lambda host, port: ["127.0.0.1"]  # noqa: E731
    allow = allow_port(srv.port)
    with pytest.raises(InputError, match="certificate of news.example.* could not be verified"):
        fetch.fetch(f"https://news.example:{srv.port}/page", resolver=resolver, allow=allow)
    monkeypatch.setattr(fetch, "_tls_context", lambda: client_ctx)
    page = fetch.fetch(f"https://news.example:{srv.port}/page", resolver=resolver, allow=allow)
    assert page.data == ARTICLE and page.url == f"https://news.example:{srv.port}/page"
    assert names[-1] == "news.example"
    assert srv.seen[-1] == ("/page", f"news.example:{srv.port}")
    with pytest.raises(InputError, match="certificate of other.example.* could not be verified"):
        fetch.fetch(f"https://other.example:{srv.port}/page", resolver=resolver, allow=allow)


# --------------------------------------------------------------------------- documents, dashboard, CLI


def test_fetch_document_reads_the_page(server: LocalServer) -> None:
    doc = fetch.fetch_document(server.url("/page"), allow=allow_port(server.port))
    assert "shelling near Rawa" in doc.text and doc.title == "Shelling near Rawa"
    assert doc.url == server.url("/page")
    plain = fetch.fetch_document(server.url("/plain"), allow=allow_port(server.port))
    assert plain.text.startswith("Invented note")


def test_file_name_follows_content_type() -> None:
    page = fetch.Fetched(b"", "https://example.org/news/story", "application/pdf")
    assert fetch.file_name(page) == "story.pdf"
    assert fetch.file_name(fetch.Fetched(b"", "https://example.org/", "")) == "page.html"
    assert fetch.file_name(fetch.Fetched(b"", "https://example.org/a%20b.txt", "text/plain")) == "a_20b.txt"


def test_dashboard_fetch_url_refuses_private_addresses(server: LocalServer) -> None:
    for url in (server.url(), f"http://2130706433:{server.port}/", "http://[::1]/", "http://169.254.169.254/"):
        with pytest.raises(InputError, match="refused"):
            dashboard.fetch_url(url)
    assert server.connections == 0


def test_dashboard_fetch_url_reads_through_sources(server: LocalServer, monkeypatch) -> None:  # noqa: ANN001
    real = fetch.fetch
    monkeypatch.setattr(fetch, "fetch", lambda url, **kw: real(url, **{**kw, "allow": allow_port(server.port)}))
    text, title = dashboard.fetch_url(server.url("/page"))
    assert "shelling near Rawa" in text and title == "Shelling near Rawa"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:{port}/page", "loopback"),
        ("http://2130706433:{port}/page", "loopback"),
        ("http://[::1]:{port}/page", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("ftp://example.org/a.txt", "only http"),
    ],
)
def test_cli_extract_url_refused_exit_2(url: str, reason: str, server: LocalServer, capsys) -> None:  # noqa: ANN001
    code = main(["extract", "--url", url.format(port=server.port)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.startswith("conflict-map: error: ") and reason in err and err.count("\n") == 1
    assert server.connections == 0


def test_cli_extract_url_and_file_are_exclusive(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    f = tmp_path / "a.txt"
    f.write_text("Invented: fighting near Haditha.", encoding="utf-8")
    assert main(["extract", str(f), "--url", "https://example.org/"]) == 2
    assert "one article" in capsys.readouterr().err


def test_cli_extract_url_same_output_as_file(server: LocalServer, tmp_path: Path, monkeypatch, capsys) -> None:  # noqa: ANN001
    real = fetch.fetch
    monkeypatch.setattr(fetch, "fetch", lambda url, **kw: real(url, **{**kw, "allow": allow_port(server.port)}))
    assert main(["extract", "--url", server.url("/plain"), "--format", "json"]) == 0
    from_url = capsys.readouterr().out
    f = tmp_path / "note.txt"
    f.write_bytes(b"Invented note: fighting near Haditha.")
    assert main(["extract", str(f), "--format", "json"]) == 0
    assert capsys.readouterr().out == from_url
    assert '"Haditha"' in from_url
