"""Download one URL for ingest: bounded in bytes and time, redirects checked hop by hop.

A redirect may not lead to an internal address (loopback, private, link-local, …: cloud metadata
services and intranet hosts) unless it stays on the internal host that the user named in the URL.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from ingest.limits import IngestLimits
from ingest.model import LoadError

MAX_REDIRECTS = 5
_USER_AGENT = "Kommunstod/0.1 (document ingest)"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass
class Fetched:
    url: str  # after redirects
    content: bytes
    content_type: str
    charset: str | None


def is_internal(address: IPAddress) -> bool:
    """Not a public internet address: loopback, private, link-local, reserved, multicast, …"""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global


def _addresses(host: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise LoadError(f"could not reach URL: unknown host {host}") from exc
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def _check_target(url: str, origin_host: str, origin_internal: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LoadError(f"redirect to a non-http(s) address refused: {url[:200]}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    stays_on_named_host = origin_internal and parts.hostname == origin_host
    if not stays_on_named_host and any(is_internal(a) for a in _addresses(parts.hostname, port)):
        raise LoadError(f"redirect to an internal address refused: {parts.hostname}")


def fetch(url: str, limits: IngestLimits) -> Fetched:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LoadError(f"not an http(s) URL: {url}")
    origin_host = parts.hostname
    origin_port = parts.port or (443 if parts.scheme == "https" else 80)
    origin_internal = any(is_internal(a) for a in _addresses(origin_host, origin_port))
    deadline = time.monotonic() + limits.url_seconds
    timeout = httpx.Timeout(min(limits.url_seconds, 20.0))
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False, headers={"User-Agent": _USER_AGENT}) as client:
            current = url
            for _ in range(MAX_REDIRECTS + 1):
                with client.stream("GET", current) as response:
                    if response.is_redirect and "location" in response.headers:
                        current = urljoin(current, response.headers["location"])
                        _check_target(current, origin_host, origin_internal)
                        continue
                    if response.status_code >= 400:
                        raise LoadError(f"URL answered HTTP {response.status_code} {response.reason_phrase}")
                    return Fetched(
                        url=current,
                        content=_read(response, limits, deadline),
                        content_type=response.headers.get("content-type", "").split(";")[0].strip().lower(),
                        charset=response.charset_encoding,
                    )
    except httpx.TimeoutException as exc:
        raise LoadError(f"could not reach URL: timed out after {timeout.read:g} s") from exc
    except httpx.HTTPError as exc:
        raise LoadError(f"could not reach URL: {exc or type(exc).__name__}") from exc
    raise LoadError(f"URL redirected more than {MAX_REDIRECTS} times")


def _read(response: httpx.Response, limits: IngestLimits, deadline: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.url_bytes:
        raise LoadError(f"the URL's document is larger than {limits.url_mb} MB (KOMMUNSTOD_MAX_URL_MB)")
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > limits.url_bytes:
            raise LoadError(f"the URL's document is larger than {limits.url_mb} MB (KOMMUNSTOD_MAX_URL_MB)")
        if time.monotonic() > deadline:
            raise LoadError(f"downloading the URL took longer than {limits.url_seconds:g} s")
    return bytes(body)
