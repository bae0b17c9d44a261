"""Fetch an article page by URL (``--url``): the one place article-audio uses the network.

Only ``http`` and ``https`` URLs are fetched, redirects are followed (a few), the body is read
in chunks up to :data:`MAX_PAGE_BYTES`, and anything that is not an HTML page is refused. Every
failure is a one-line :class:`InputError`: offline, unknown host, refused connection, time-out,
an HTTP error status, a body too large, or not HTML. Proxy and certificate settings are not
taken from the environment (``trust_env=False``): configuration is read in one place only.
"""

from __future__ import annotations

from importlib import metadata
from urllib.parse import urlsplit

import httpx

from article_audio.errors import InputError
from article_audio.text.read import Source, decode_html

#: Seconds allowed to connect, and between bytes of the answer.
FETCH_TIMEOUT_S = 20.0
#: A page larger than this (after decompression) is refused.
MAX_PAGE_BYTES = 10 * 1024 * 1024
#: Redirects followed before giving up.
MAX_REDIRECTS = 5
#: Content types accepted as a page (a missing type is sniffed from the body instead).
HTML_TYPES = ("text/html", "application/xhtml+xml")
_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"


def user_agent() -> str:
    """``article-audio/<version>``, sent with every request."""
    try:
        version = metadata.version("article-audio")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        version = "dev"
    return f"article-audio/{version} (+offline article narration)"


def check_url(url: str) -> str:
    """``url`` if it is an absolute ``http``/``https`` URL with a host, else an InputError."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https"):
        raise InputError(f"{url}: only http:// and https:// URLs can be fetched")
    if not parts.hostname:
        raise InputError(f"{url}: the URL has no host")
    return url.strip()


def fetch_page(
    url: str,
    *,
    timeout: float = FETCH_TIMEOUT_S,
    max_bytes: int = MAX_PAGE_BYTES,
    transport: httpx.BaseTransport | None = None,
) -> Source:
    """The HTML page at ``url`` as a :class:`Source` named by the URL it was fetched from.

    ``transport`` replaces the network (tests); the rest are the limits.
    """
    url = check_url(url)
    try:
        with (
            httpx.Client(
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
                timeout=httpx.Timeout(timeout),
                headers={"User-Agent": user_agent(), "Accept": _ACCEPT},
                trust_env=False,
                transport=transport,
            ) as client,
            client.stream("GET", url) as response,
        ):
            _check_response(url, response, max_bytes)
            data = _read_body(url, response, max_bytes)
            final_url = str(response.url)
            declared = response.charset_encoding
    except httpx.HTTPError as exc:
        raise InputError(f"{url}: {_describe(exc, timeout)}") from exc
    except httpx.InvalidURL as exc:
        raise InputError(f"{url}: not a URL that can be fetched ({exc})") from exc
    return _page_source(url, final_url, data, declared)


def _check_response(url: str, response: httpx.Response, max_bytes: int) -> None:
    """Refuse an error status, a declared size over ``max_bytes`` or a non-HTML type."""
    if response.status_code >= 400:
        reason = f" {response.reason_phrase}" if response.reason_phrase else ""
        raise InputError(f"{url}: HTTP error {response.status_code}{reason}")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise InputError(f"{url}: the page is larger than {_size(max_bytes)}")
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind and kind not in HTML_TYPES:
        raise InputError(f"{url}: not an HTML page (content type {kind})")


def _read_body(url: str, response: httpx.Response, max_bytes: int) -> bytes:
    """The (decompressed) body, refused as soon as it grows past ``max_bytes``."""
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise InputError(f"{url}: the page is larger than {_size(max_bytes)}")
    return bytes(body)


def _page_source(url: str, final_url: str, data: bytes, declared: str | None) -> Source:
    if not data.strip():
        raise InputError(f"{url}: the page is empty")
    head = data[:4096].lstrip().lower()
    if head.startswith((b"%pdf", b"\x89png", b"gif8", b"\xff\xd8")):
        raise InputError(f"{url}: not an HTML page")
    text = decode_html(data, url, declared)
    return Source(text=text, format="html", name=final_url)


def _describe(exc: httpx.HTTPError, timeout: float) -> str:
    """A short, human reason for a failed request."""
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out after {timeout:g} s"
    if isinstance(exc, httpx.TooManyRedirects):
        return f"too many redirects (more than {MAX_REDIRECTS})"
    if isinstance(exc, httpx.ConnectError):
        detail = str(exc) or "connection failed"
        if "Name or service not known" in detail or "nodename nor servname" in detail:
            detail = "unknown host, or no network"
        elif "Temporary failure in name resolution" in detail:
            detail = "cannot resolve the host name (offline?)"
        return f"cannot connect ({detail})"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return f"not a URL that can be fetched ({exc})"
    return f"the download failed ({type(exc).__name__}: {exc})"


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):g} MB" if count >= 1024 * 1024 else f"{count} bytes"
