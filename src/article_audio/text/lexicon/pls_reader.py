"""The W3C Pronunciation Lexicon Specification (PLS 1.0) reader, on defusedxml: any DTD or
entity declaration is refused, never resolved."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final
from xml.etree.ElementTree import Element, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError

from article_audio.errors import LexiconError
from article_audio.text.lexicon.entries import Entry
from article_audio.text.lexicon.ipa import xsampa_to_ipa

PLS_NAMESPACE: Final = "http://www.w3.org/2005/01/pronunciation-lexicon"


class _LineTarget:
    """An ElementTree target that remembers the line each element starts on."""

    def __init__(self) -> None:
        self.builder = TreeBuilder()
        self.lines: dict[int, int] = {}
        self.expat: Any = None

    def start(self, tag: str, attrib: dict[str, str]) -> Element:
        element = self.builder.start(tag, attrib)
        self.lines[id(element)] = int(self.expat.CurrentLineNumber)
        return element

    def end(self, tag: str) -> Element:
        return self.builder.end(tag)

    def data(self, data: str) -> None:
        self.builder.data(data)

    def close(self) -> Element:
        return self.builder.close()


def _parse_xml(data: bytes, source: str) -> tuple[Element, dict[int, int]]:
    """The root element and element lines; DTDs and entities are refused, never resolved."""
    target = _LineTarget()
    parser = DefusedXMLParser(
        target=target, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    target.expat = parser.parser
    try:
        parser.feed(data)
        root: Element = parser.close()
    except ParseError as exc:
        line = exc.position[0] if exc.position else None
        message = re.sub(r": line \d+, column \d+$", "", str(exc))
        raise LexiconError(f"malformed XML: {message}", source, line) from exc
    except DefusedXmlException as exc:
        raise LexiconError(
            "refused: the lexicon declares a DTD or entities, which are not allowed (unsafe XML)",
            source,
            int(parser.parser.CurrentLineNumber),
        ) from exc
    return root, target.lines


def _local(tag: str) -> tuple[str, str]:
    """(namespace, local name) of an ElementTree tag."""
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def pls_entries(data: bytes, source: str) -> list[Entry]:
    """The entries of a PLS lexicon (the bytes of the file ``source``), in document order."""
    root, lines = _parse_xml(data, source)
    namespace, name = _local(root.tag)
    if name != "lexicon" or namespace not in ("", PLS_NAMESPACE):
        message = f"not a PLS lexicon: the root element is <{name}>, expected <lexicon>"
        raise LexiconError(message, source, lines.get(id(root)))
    version = root.get("version", "1.0")
    if version != "1.0":
        raise LexiconError(f"unsupported PLS version {version!r}", source, lines.get(id(root)))
    alphabet = root.get("alphabet", "ipa")
    entries: list[Entry] = []
    for lexeme in _children(root, "lexeme"):
        entries += _lexeme_entries(lexeme, alphabet, source, lines)
    return entries


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag)[1] == name]


def _preferred(elements: list[Element]) -> Element | None:
    """The element marked ``prefer="true"``, else the first (PLS 1.0, section 4.6)."""
    marked = [e for e in elements if e.get("prefer", "false").strip() == "true"]
    chosen = marked or elements
    return chosen[0] if chosen else None


def _lexeme_entries(
    lexeme: Element, alphabet: str, source: str, lines: Mapping[int, int]
) -> list[Entry]:
    line = lines.get(id(lexeme))
    graphemes = [_text(g) for g in _children(lexeme, "grapheme")]
    if not any(graphemes):
        raise LexiconError("<lexeme> without a <grapheme>", source, line)
    phoneme = _preferred(_children(lexeme, "phoneme"))
    alias = _preferred(_children(lexeme, "alias"))
    if phoneme is None and alias is None:
        raise LexiconError(f"<lexeme> {graphemes[0]!r} has no <phoneme> or <alias>", source, line)
    ipa = None
    if phoneme is not None:
        line = lines.get(id(phoneme), line)
        ipa = _pls_ipa(_text(phoneme), phoneme.get("alphabet", alphabet), source, line)
    respelling = _text(alias) if alias is not None else None
    origin = f"{source}:{line}" if line is not None else source
    try:
        return [Entry(g, ipa, respelling, origin=origin) for g in graphemes if g]
    except ValueError as exc:
        raise LexiconError(f"<lexeme> {graphemes[0]!r}: {exc}", source, line) from exc


def _text(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _pls_ipa(text: str, alphabet: str, source: str, line: int | None) -> str:
    kind = alphabet.strip().lower()
    if kind == "ipa":
        return text
    if kind == "x-sampa":
        try:
            return xsampa_to_ipa(text)
        except ValueError as exc:
            raise LexiconError(str(exc), source, line) from exc
    message = f"phoneme alphabet {alphabet!r} is not supported (use ipa or x-sampa)"
    raise LexiconError(message, source, line)
