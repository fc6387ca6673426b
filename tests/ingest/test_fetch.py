"""URL ingest over real HTTP servers on 127.0.0.1 and 127.0.0.2: redirects checked hop by hop,
bytes and time bounded. Before the fix every redirect was followed and any size downloaded."""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ingest.limits import IngestLimits
from ingest.loaders import load_url, web
from ingest.model import LoadError

PAGE = "<html><head><title>Plan</title></head><body><p>Kommunen planterar träd i centrum.</p></body></html>".encode()


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        path, _, target = self.path.partition("?to=")
        if path == "/redirect":
            self.send_response(302)
            self.send_header("Location", target)
            self.end_headers()
        elif path == "/page.html":
            self._send(PAGE)
        elif path == "/big.html":
            self._send(b"<p>" + b"x" * (2 << 20) + b"</p>")
        elif path == "/stream.html":  # no Content-Length: the body ends when the connection closes
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(64):
                self.wfile.write(b"<p>" + b"y" * 65536 + b"</p>")
        elif path == "/slow.html":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b"<p>droppe</p>")
                self.wfile.flush()
                time.sleep(0.1)
        else:
            self.send_error(404)

    def _send(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    protocol_version = "HTTP/1.0"


def _serve(host: str) -> Iterator[str]:
    server = ThreadingHTTPServer((host, 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def named() -> Iterator[str]:
    """The host the user names in the URL."""
    yield from _serve("127.0.0.1")


@pytest.fixture
def other_internal() -> Iterator[str]:
    """Another internal host (all of 127.0.0.0/8 is loopback on Linux)."""
    yield from _serve("127.0.0.2")


def test_redirect_on_the_named_internal_host_is_followed(named):
    doc = load_url(f"{named}/redirect?to=/page.html")
    assert "träd" in doc.blocks[0].text


def test_redirect_to_another_internal_host_is_refused(named, other_internal):
    with pytest.raises(LoadError, match="redirect to an internal address refused: 127.0.0.2"):
        load_url(f"{named}/redirect?to={other_internal}/page.html")


def test_public_url_redirecting_to_internal_hosts_is_refused(named, other_internal, monkeypatch):
    # Stand-in for the internet, which these tests cannot reach: the server on 127.0.0.1 plays a
    # public web site (counted as global), 127.0.0.2 stays internal.
    public = ipaddress.ip_address("127.0.0.1")
    real = web.is_internal
    monkeypatch.setattr(web, "is_internal", lambda a: a != public and real(a))
    with pytest.raises(LoadError, match="internal address refused"):
        load_url(f"{named}/redirect?to={other_internal}/page.html")
    for target in ("http://10.0.0.5/", "http://169.254.169.254/latest/meta-data/"):  # checked, never contacted
        with pytest.raises(LoadError, match="internal address refused"):
            load_url(f"{named}/redirect?to={target}")


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.5", "169.254.169.254", "192.168.1.1", "::1", "fd00::1"])
def test_internal_addresses(address):
    assert web.is_internal(ipaddress.ip_address(address))


def test_public_addresses_are_not_internal():
    assert not web.is_internal(ipaddress.ip_address("8.8.8.8"))
    assert web.is_internal(ipaddress.ip_address("::ffff:10.0.0.1"))


def test_redirect_to_other_schemes_is_refused(named):
    with pytest.raises(LoadError, match="non-http"):
        load_url(f"{named}/redirect?to=file:///etc/passwd")


@pytest.mark.parametrize("path", ["/big.html", "/stream.html"])
def test_download_is_capped_in_bytes(named, path):
    with pytest.raises(LoadError, match="larger than 1 MB"):
        load_url(f"{named}{path}", IngestLimits(url_mb=1))


def test_download_is_capped_in_time(named):
    with pytest.raises(LoadError, match="longer than 1 s"):
        load_url(f"{named}/slow.html", IngestLimits(url_seconds=1))
