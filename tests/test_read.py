"""Read stage: format detection and decoding, HTML charsets in particular."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from article_audio.errors import InputError
from article_audio.read import decode_html, detect_format, read_source

PAGE = (
    "<!DOCTYPE html><html><head>{meta}<title>News</title></head><body><p>{body}</p></body></html>"
)


@pytest.mark.parametrize(
    ("name", "fmt", "data", "expected"),
    [
        ("story.html", None, b"", "html"),
        ("story.HTM", None, b"", "html"),
        ("story.xhtml", None, b"", "html"),
        ("story.txt", None, b"<html><body>", "text"),  # the suffix wins
        ("story.md", None, b"", "markdown"),
        ("story.txt", "html", b"", "html"),  # --format wins
        ("", None, b"  <!doctype html><html>", "html"),  # stdin sniffed
        ("", None, b"\xef\xbb\xbf<html lang='en'>", "html"),
        ("", None, b"<!-- saved page --> <HTML>", "html"),
        ("", None, b"Headline\n\nThe <b>bold</b> text.", "text"),
        ("notes", None, b"Plain words", "text"),
    ],
)
def test_detect_format(name: str, fmt: str | None, data: bytes, expected: str) -> None:
    assert detect_format(name, fmt, data) == expected


def test_unknown_format_is_refused() -> None:
    with pytest.raises(InputError, match="expected text, markdown, html"):
        detect_format("a.txt", "pdf")


@pytest.mark.parametrize(
    ("data", "declared", "expected"),
    [
        (PAGE.format(meta="", body="Zoë").encode("utf-8"), None, "Zoë"),
        (
            PAGE.format(meta='<meta charset="iso-8859-1">', body="Zoë").encode("latin-1"),
            None,
            "Zoë",
        ),
        (  # windows-1252 curly quotes under an iso-8859-1 label, as browsers read them
            PAGE.format(meta='<meta charset="ISO-8859-1">', body="“Zoë”").encode("cp1252"),
            None,
            "“Zoë”",
        ),
        (
            PAGE.format(
                meta='<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">',
                body="Москва",
            ).encode("cp1251"),
            None,
            "Москва",
        ),
        (PAGE.format(meta="", body="Zoë").encode("latin-1"), "iso-8859-1", "Zoë"),  # HTTP header
        (PAGE.format(meta="", body="Zoë").encode("utf-16"), None, "Zoë"),  # BOM
        (b'<?xml version="1.0" encoding="latin-1"?><html><p>Zo\xeb</p></html>', None, "Zoë"),
        (  # declared UTF-8 that is not: the bad byte becomes U+FFFD, no error
            PAGE.format(meta='<meta charset="utf-8">', body="Zoë").encode("latin-1"),
            None,
            "Zo\ufffd",
        ),
    ],
)
def test_decode_html_uses_the_declared_or_detected_charset(
    data: bytes, declared: str | None, expected: str
) -> None:
    assert expected in decode_html(data, "page.html", declared)


@pytest.mark.parametrize(
    ("body", "codec"),
    [
        ("Le café est fermé à Genève depuis l’été; les élèves déjeunent ailleurs. ", "cp1252"),
        ("Москва готовится к зиме, и городские службы уже проверяют отопление. ", "cp1251"),
        ("Η Αθήνα ετοιμάζεται για τον χειμώνα και οι υπηρεσίες ελέγχουν τη θέρμανση. ", "cp1253"),
    ],
)
def test_undeclared_non_utf8_page_is_detected(body: str, codec: str) -> None:
    text = decode_html(PAGE.format(meta="", body=body * 20).encode(codec), "page.html")
    assert body.strip() in text


def test_binary_is_not_an_html_page() -> None:
    with pytest.raises(InputError, match="not an HTML page"):
        decode_html(bytes(range(256)) * 4, "image.html")


def test_read_source_decodes_html_files_by_their_charset(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_bytes(PAGE.format(meta='<meta charset="latin-1">', body="Zoë").encode("latin-1"))
    source = read_source(path)
    assert source.format == "html"
    assert "Zoë" in source.text
    assert source.name == str(path)


def test_text_files_still_must_be_utf8(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes("Zoë".encode("latin-1"))
    with pytest.raises(InputError, match="UTF-8"):
        read_source(path)


@pytest.mark.parametrize(("fmt", "expected"), [("html", "html"), (None, "html")])
def test_read_source_stdin_html(
    monkeypatch: pytest.MonkeyPatch, fmt: str | None, expected: str
) -> None:
    data = PAGE.format(meta="", body="Zoë").encode("utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    source = read_source("-", fmt)
    assert (source.format, source.name) == (expected, "<stdin>")
    assert "Zoë" in source.text
