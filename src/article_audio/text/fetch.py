"""Fetch an article page by URL (``--url``), or a site's feed (``feed --from``): the one place
article-audio uses the network.

Only ``http`` and ``https`` URLs are fetched, redirects are followed (a few), the body is read
in chunks up to :data:`MAX_PAGE_BYTES`, and anything that is not what was asked for (an HTML
page, or an RSS, Atom or JSON feed) is refused. Every failure is a one-line
:class:`InputError`: offline, unknown host, refused connection, time-out, an HTTP error
status, a body too large, or the wrong kind of document. Proxy and certificate settings are
not taken from the environment (``trust_env=False``): configuration is read in one place only.

Every request names article-audio and its version (:func:`user_agent`). A caller that fetches
the same URLs again (the feed, every few minutes) passes the :class:`Validators` the server
gave last time (``ETag``, ``Last-Modified``): the request is then conditional, and an
unchanged document comes back as a :class:`Download` without data (HTTP 304), not re-sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from article_audio.errors import InputError
from article_audio.text.read import Source, decode_html
from article_audio.util import package_version

#: Seconds allowed to connect, and between bytes of the answer.
FETCH_TIMEOUT_S = 20.0
#: A page larger than this (after decompression) is refused.
MAX_PAGE_BYTES = 10 * 1024 * 1024
#: Redirects followed before giving up.
MAX_REDIRECTS = 5
#: Content types accepted as a page (a missing type is sniffed from the body instead).
HTML_TYPES = ("text/html", "application/xhtml+xml")
_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
#: Content types accepted as a feed: RSS, Atom, RDF, JSON Feed, and the generic XML and JSON
#: types servers often give them (a missing type is left to the feed parser).
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/xml",
    "text/xml",
    "application/json",
    "text/plain",
)
_FEED_ACCEPT = (
    "application/rss+xml,application/atom+xml,application/feed+json;q=0.9,"
    "application/xml;q=0.8,text/xml;q=0.8,application/json;q=0.7,*/*;q=0.1"
)


@dataclass(frozen=True)
class Wanted:
    """A kind of document to fetch: the content types accepted, the ``Accept`` header sent,
    and its names in errors (``not an HTML page (content type ...)``, ``the page is ...``)."""

    types: tuple[str, ...]
    accept: str
    name: str
    noun: str


PAGE = Wanted(HTML_TYPES, _ACCEPT, "an HTML page", "page")
FEED = Wanted(FEED_TYPES, _FEED_ACCEPT, "an RSS, Atom or JSON feed", "feed")


@dataclass(frozen=True)
class Validators:
    """What a server gave to recognise a document again: its ``ETag`` and ``Last-Modified``
    headers, sent back as ``If-None-Match`` and ``If-Modified-Since``."""

    etag: str | None = None
    last_modified: str | None = None

    def request_headers(self) -> dict[str, str]:
        """The conditional request's headers (none if the server gave no validator)."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers

    @classmethod
    def of(cls, response: httpx.Response) -> Validators:
        return cls(
            etag=response.headers.get("etag") or None,
            last_modified=response.headers.get("last-modified") or None,
        )


@dataclass(frozen=True)
class Download:
    """A fetched document: ``data`` is None when the server answered *not modified* (304)
    to a conditional request; ``validators`` are the ones to send next time."""

    url: str
    final_url: str
    data: bytes | None
    charset: str | None
    validators: Validators

    @property
    def not_modified(self) -> bool:
        return self.data is None


def user_agent() -> str:
    """``article-audio/<version>``, sent with every request."""
    return f"article-audio/{package_version()} (+offline article narration)"


def check_url(url: str) -> str:
    """``url`` if it is an absolute ``http``/``https`` URL with a host, else an InputError."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https"):
        raise InputError(f"{url}: only http:// and https:// URLs can be fetched")
    if not parts.hostname:
        raise InputError(f"{url}: the URL has no host")
    return url.strip()


def fetch_client(
    timeout: float = FETCH_TIMEOUT_S, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    """An HTTP client with article-audio's settings: our User-Agent, a few redirects, the time
    limit, nothing from the environment. Reuse one for many requests (its connections are
    kept open); close it (``with fetch_client() as client:``) when done."""
    return httpx.Client(
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        timeout=httpx.Timeout(timeout),
        headers={"User-Agent": user_agent()},
        trust_env=False,
        transport=transport,
    )


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
    with fetch_client(timeout, transport) as client:
        fetched = download(client, url, PAGE, max_bytes=max_bytes)
    return page_source(fetched)


def download(
    client: httpx.Client,
    url: str,
    wanted: Wanted,
    *,
    validators: Validators | None = None,
    max_bytes: int = MAX_PAGE_BYTES,
) -> Download:
    """GET ``url`` with ``client``: a document of the ``wanted`` kind, at most ``max_bytes``.
    With ``validators`` the request is conditional, and a 304 answer gives no data."""
    url = check_url(url)
    headers = {"Accept": wanted.accept, **(validators or Validators()).request_headers()}
    try:
        with client.stream("GET", url, headers=headers) as response:
            final_url = str(response.url)
            if validators is not None and response.status_code == 304:
                kept = Validators.of(response)
                fresh = Validators(
                    kept.etag or validators.etag, kept.last_modified or validators.last_modified
                )
                return Download(url, final_url, None, None, fresh)
            _check_response(url, response, max_bytes, wanted)
            data = _read_body(url, response, max_bytes, wanted.noun)
            charset, validators = response.charset_encoding, Validators.of(response)
            return Download(url, final_url, data, charset, validators)
    except httpx.HTTPError as exc:
        raise InputError(f"{url}: {_describe(exc, client.timeout.read or 0)}") from exc
    except httpx.InvalidURL as exc:
        raise InputError(f"{url}: not a URL that can be fetched ({exc})") from exc


def _check_response(url: str, response: httpx.Response, max_bytes: int, wanted: Wanted) -> None:
    """Refuse an error status, a declared size over ``max_bytes`` or an unwanted type."""
    if response.status_code >= 400:
        reason = f" {response.reason_phrase}" if response.reason_phrase else ""
        raise InputError(f"{url}: HTTP error {response.status_code}{reason}")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise InputError(f"{url}: the {wanted.noun} is larger than {_size(max_bytes)}")
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind and kind not in wanted.types:
        raise InputError(f"{url}: not {wanted.name} (content type {kind})")


def _read_body(url: str, response: httpx.Response, max_bytes: int, noun: str) -> bytes:
    """The (decompressed) body, refused as soon as it grows past ``max_bytes``."""
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise InputError(f"{url}: the {noun} is larger than {_size(max_bytes)}")
    return bytes(body)


def page_source(fetched: Download) -> Source:
    """A downloaded HTML page as a :class:`Source` named by its final URL (an InputError for
    an empty page, or one whose bytes are plainly not HTML)."""
    url, data = fetched.url, fetched.data
    if not data or not data.strip():
        raise InputError(f"{url}: the page is empty")
    head = data[:4096].lstrip().lower()
    if head.startswith((b"%pdf", b"\x89png", b"gif8", b"\xff\xd8")):
        raise InputError(f"{url}: not an HTML page")
    text = decode_html(data, url, fetched.charset)
    return Source(text=text, format="html", name=fetched.final_url)


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
