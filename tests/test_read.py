"""Read stage: format detection and decoding, HTML charsets in particular."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from article_audio.errors import InputError
from article_audio.text import read
from article_audio.text.read import decode_html, detect_format, read_source

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


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Zoë".encode("latin-1"), "Zoë"),
        ("Café “quoted” — l’été, à Genève.".encode("cp1252"), "Café “quoted” — l’été, à Genève."),
        ("Москва готовится к зиме.".encode("cp1251"), "Москва готовится к зиме."),
        (
            "Η Αθήνα ετοιμάζεται για τον χειμώνα.".encode("cp1253"),
            "Η Αθήνα ετοιμάζεται για τον χειμώνα.",
        ),
        ("Zoë\r\nand Zoé".encode(), "Zoë\nand Zoé"),  # CRLF line ends
        ("\ufeffZoë".encode("utf-8"), "Zoë"),
    ],
)
def test_text_in_another_charset_is_decoded(tmp_path: Path, data: bytes, expected: str) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(data)
    assert read_source(path).text == expected


@pytest.mark.parametrize(
    ("data", "byte"),
    [
        (bytes(range(0x80, 0x100)) * 3, 0),  # no charset makes text of it
        (b"Title\n\nA body \x81\x8d\x8f\x90\x9d sentence.", 14),  # Latin, not windows-1252
    ],
)
def test_undecodable_text_is_refused_clearly(tmp_path: Path, data: bytes, byte: int) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_source(path)
    assert str(info.value) == (
        f"{path}: not valid UTF-8 text (byte {byte}) and no other charset fits; "
        "save the article as UTF-8"
    )


@pytest.mark.parametrize("data", ["Zoë".encode("utf-16"), b"\xff\xfe not UTF-8"])
def test_utf16_text_is_refused_clearly(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(data)  # a UTF-16 byte-order mark, never windows-1252 "ÿþ"
    with pytest.raises(InputError) as info:
        read_source(path)
    assert str(info.value) == f"{path}: UTF-16 text is not supported; save the article as UTF-8"


def test_text_over_the_word_limit_is_refused_before_it_is_all_read(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_bytes(b"word " * 2_000_000)  # 10 MB
    with pytest.raises(InputError) as info:
        read_source(path, max_words=1000)
    assert str(info.value) == (
        f"{path}: too long: more than 1,000 words (raise the limit with --max-words)"
    )


def test_the_word_limit_stops_reading_at_the_first_chunk_over_it() -> None:
    stream = io.BytesIO(b"word " * 10_000_000)  # 50 MB
    with pytest.raises(InputError, match="more than 100,000 words"):
        read._read_stream(stream, "big.txt", "big.txt", None, 100_000)
    assert stream.tell() == read.READ_CHUNK_BYTES  # 1 MB read of 50


@pytest.mark.parametrize(("words", "refused"), [(1000, False), (1001, True)])
def test_the_word_limit_counts_words_across_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, words: int, refused: bool
) -> None:
    monkeypatch.setattr(read, "READ_CHUNK_BYTES", 7)  # words cut across chunk boundaries
    path = tmp_path / "a.txt"
    path.write_text(" ".join(["abcdefghij"] * words) + "\n", encoding="utf-8")
    if refused:
        with pytest.raises(InputError, match="more than 1,000 words"):
            read_source(path, max_words=1000)
    else:
        assert len(read_source(path, max_words=1000).text.split()) == words


def test_html_markup_is_not_counted_as_words(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE.format(meta="", body="<b>x</b> " * 2000), encoding="utf-8")
    assert read_source(path, max_words=1000).format == "html"


def test_too_many_bytes_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "MAX_INPUT_BYTES", 100)
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 101)
    with pytest.raises(InputError) as info:
        read_source(path)
    assert str(info.value) == f"{path}: larger than 0 MB"


@pytest.mark.parametrize(("fmt", "expected"), [("html", "html"), (None, "html")])
def test_read_source_stdin_html(
    monkeypatch: pytest.MonkeyPatch, fmt: str | None, expected: str
) -> None:
    data = PAGE.format(meta="", body="Zoë").encode("utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    source = read_source("-", fmt)
    assert (source.format, source.name) == (expected, "<stdin>")
    assert "Zoë" in source.text
