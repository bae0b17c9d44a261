"""Fetching pages by URL, against a real HTTP server this test starts on 127.0.0.1.

No test reaches beyond the loopback address.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from article_audio.cli import main
from article_audio.errors import InputError
from article_audio.text.fetch import MAX_PAGE_BYTES, check_url, fetch_page

PAGE = Path(__file__).resolve().parent / "data" / "html" / "sciencealert-europa-plumes.html"
CLI = str(Path(sys.executable).parent / "article-audio")
LATIN_PAGE = (
    "<html><head><title>Zoë wins</title></head><body><article>"
    + "<p>Zoë Martín won the Genève race on Sunday, her third win of the season so far.</p>" * 5
    + "</article></body></html>"
).encode("latin-1")

#: path → (status, headers, body); bodies may be callables for slow or huge answers.
ROUTES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/page": (200, {"Content-Type": "text/html; charset=utf-8"}, PAGE.read_bytes()),
    "/latin": (200, {"Content-Type": "text/html; charset=ISO-8859-1"}, LATIN_PAGE),
    "/untyped": (200, {}, PAGE.read_bytes()),
    "/untyped-pdf": (200, {}, b"%PDF-1.7\n%binary stuff"),
    "/missing": (404, {"Content-Type": "text/html"}, b"<html><body>Not found</body></html>"),
    "/pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.7"),
    "/empty": (200, {"Content-Type": "text/html"}, b""),
    "/redirect": (302, {"Location": "/page"}, b""),
    "/loop": (302, {"Location": "/loop"}, b""),
    "/ftp": (302, {"Location": "ftp://127.0.0.1/page"}, b""),
    "/no-article": (200, {"Content-Type": "text/html"}, b"<html><body><nav>Home</nav></body>"),
}


class Handler(BaseHTTPRequestHandler):
    """Answers from :data:`ROUTES`, plus /slow, /big (declared size) and /huge (chunked)."""

    agents: list[str] = []  # noqa: RUF012 - shared record of the User-Agents seen

    def do_GET(self) -> None:
        Handler.agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/slow":
            time.sleep(1.5)
            self._answer(200, {"Content-Type": "text/html"}, b"<html></html>")
        elif self.path == "/big":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(MAX_PAGE_BYTES + 1))
            self.end_headers()
        elif self.path == "/huge":
            self._huge()
        elif self.path in ROUTES:
            self._answer(*ROUTES[self.path])
        else:
            self._answer(404, {}, b"")

    def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _huge(self) -> None:
        """A chunked body of more than MAX_PAGE_BYTES with no declared length."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = b"<p>" + b"x" * (256 * 1024) + b"</p>"
        try:
            for _ in range(MAX_PAGE_BYTES // len(chunk) + 2):
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading, as it should

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


class QuietServer(ThreadingHTTPServer):
    """Says nothing when a client hangs up early (as the size and time limits make it do)."""

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet: the server thread would print into the stderr a CLI test is capturing."""


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The base URL of an HTTP server on 127.0.0.1, running for this module's tests."""
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


# --- The library ------------------------------------------------------------------------------


def test_fetches_a_page_with_a_user_agent(server: str) -> None:
    source = fetch_page(f"{server}/page")
    assert source.format == "html"
    assert source.name == f"{server}/page"
    assert "Europa" in source.text
    assert Handler.agents[-1].startswith("article-audio/")


def test_follows_redirects_and_names_the_final_url(server: str) -> None:
    source = fetch_page(f"{server}/redirect")
    assert source.name == f"{server}/page"
    assert "Europa" in source.text


def test_decodes_with_the_declared_charset(server: str) -> None:
    assert "Zoë Martín won the Genève race" in fetch_page(f"{server}/latin").text


def test_a_page_without_a_content_type_is_sniffed(server: str) -> None:
    assert "Europa" in fetch_page(f"{server}/untyped").text
    with pytest.raises(InputError, match="not an HTML page"):
        fetch_page(f"{server}/untyped-pdf")


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", "HTTP error 404 Not Found"),
        ("/pdf", "not an HTML page (content type application/pdf)"),
        ("/empty", "the page is empty"),
        ("/big", "larger than 10 MB"),
        ("/huge", "larger than 10 MB"),
        ("/loop", "too many redirects"),
        ("/ftp", "not a URL that can be fetched"),
    ],
)
def test_failures_are_one_line_input_errors(server: str, path: str, message: str) -> None:
    with pytest.raises(InputError, match=r"^[^\n]*$") as caught:
        fetch_page(f"{server}{path}")
    assert message in str(caught.value)
    assert str(caught.value).startswith(f"{server}{path}: ")


def test_time_out(server: str) -> None:
    with pytest.raises(InputError, match=r"timed out after 0\.3 s"):
        fetch_page(f"{server}/slow", timeout=0.3)


def test_unreachable_port() -> None:
    url = f"http://127.0.0.1:{closed_port()}/page"
    with pytest.raises(InputError, match="cannot connect"):
        fetch_page(url, timeout=5)


def test_a_smaller_limit(server: str) -> None:
    with pytest.raises(InputError, match="larger than 1000 bytes"):
        fetch_page(f"{server}/page", max_bytes=1000)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "only http:// and https://"),
        ("ftp://127.0.0.1/page", "only http:// and https://"),
        ("example.com/page", "only http:// and https://"),
        ("http:///page", "has no host"),
    ],
)
def test_only_http_urls(url: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        check_url(url)


# --- The command line -----------------------------------------------------------------------


def test_cli_script_from_a_url(server: str, fake_voice: Path) -> None:
    result = subprocess.run(
        [CLI, "script", "--url", f"{server}/page", "--json", "--voice", str(fake_voice)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["title"].startswith("NASA Just Confirmed There Are Water Plumes")
    assert data["byline"] == "By Victor Tangermann, ScienceAlert"


def test_cli_render_from_a_url(
    server: str, fake_voice: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        main, ["render", "--url", f"{server}/page", "--voice", str(fake_voice), "-q"]
    )
    assert result.exit_code == 0, result.output
    made = list(tmp_path.glob("*.mp3"))
    assert [p.name for p in made] == [
        "nasa-just-confirmed-there-are-water-plumes-above-the-surface.mp3"
    ]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", "HTTP error 404"),
        ("/huge", "larger than 10 MB"),
        ("/pdf", "not an HTML page"),
        ("/no-article", "no article text found"),
    ],
)
def test_cli_url_errors_are_one_line_exit_2(server: str, path: str, message: str) -> None:
    result = CliRunner().invoke(main, ["script", "--url", f"{server}{path}"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("article-audio: error: ")
    assert message in result.stderr


def test_cli_unreachable_url_is_one_line_exit_2() -> None:
    url = f"http://127.0.0.1:{closed_port()}/page"
    result = subprocess.run(
        [CLI, "render", "--url", url], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert f"article-audio: error: {url}: cannot connect" in result.stderr
