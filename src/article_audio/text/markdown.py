"""The Markdown reader: headings become sections, front matter gives the title, authors and
dates, inline syntax is reduced to the words a listener should hear, and the paragraphs go
through the same debris rules as a scraped page."""

from __future__ import annotations

import html
import re

from article_audio.text.article import Article
from article_audio.text.debris import PARAGRAPHS, DebrisRules, article_units, only_debris
from article_audio.text.headers import (
    NAME_SEPARATORS,
    Head,
    head_of_blocks,
    make_article,
    make_sections,
)
from article_audio.text.lines import WORD, Block, is_headline, normalize
from article_audio.text.read import Source
from article_audio.text.sitename import site_keys

_FRONT_MATTER = re.compile(r"---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r" {0,3}(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*")
_SETEXT = re.compile(r" {0,3}(=+|-+)\s*")
_RULE = re.compile(r" {0,3}([-*_])(?:\s*\1){2,}\s*")
_LIST_ITEM = re.compile(r"\s*(?:[-*+•]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?(.*)")
_QUOTE = re.compile(r"\s*(?:>\s?)+")
_REF_DEF = re.compile(r" {0,3}\[[^\]]+\]:\s*\S+.*")
_TABLE_RULE = re.compile(r"\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*")
_TARGET = r"\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\)"
_INLINE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"!\[[^\]]*\](?:{_TARGET}|\[[^\]]*\])"), ""),
    (re.compile(r"\[\^[^\]]+\]"), ""),
    (re.compile(rf"\[([^\]]+)\](?:{_TARGET}|\[[^\]]*\])"), r"\1"),
    (re.compile(r"<(?:https?|mailto|ftp):[^>\s]+>"), ""),
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),
    (re.compile(r"(`+)(.+?)\1"), r"\2"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
)
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|<])")
_FRONT_KEYS = {
    "title": "title",
    "author": "authors",
    "authors": "authors",
    "date": "published",
    "published": "published",
    "updated": "updated",
    "lastmod": "updated",
    "modified": "updated",
    "publication": "publication",
    "publisher": "publication",
    "byline": "byline",
}


def _front_matter(text: str) -> tuple[dict[str, str | list[str]], str]:
    """YAML-ish front matter (``key: value`` and simple lists) and the rest of ``text``."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    values: dict[str, str | list[str]] = {}
    key: str | None = None
    for line in match.group(1).split("\n"):
        item = re.fullmatch(r"\s+-\s+(.*)", line)
        if item and key is not None:
            current = values.get(key)
            values[key] = [*(current if isinstance(current, list) else []), _unquote(item[1])]
            continue
        pair = re.fullmatch(r"([A-Za-z_][\w-]*)\s*:\s*(.*)", line)
        if pair:
            key = pair[1].lower()
            values[key] = _front_value(pair[2].strip())
    return values, text[match.end() :]


def _front_value(raw: str) -> str | list[str]:
    if raw.startswith("[") and raw.endswith("]"):
        return [_unquote(part) for part in raw[1:-1].split(",") if part.strip()]
    return _unquote(raw)


def _unquote(raw: str) -> str:
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
        return raw[1:-1]
    return raw


class _MarkdownBlocks:
    """Splits a Markdown body into heading and paragraph blocks, one line at a time."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.paragraph: list[str] = []
        self.fence: str | None = None

    def flush(self, level: int = 0) -> None:
        """End the current paragraph (as a heading of ``level`` if ``level`` ≥ 1)."""
        if self.paragraph:
            self.blocks.append(Block(level, " ".join(self.paragraph)))
            self.paragraph.clear()

    def feed(self, line: str) -> None:
        """Take one more line of the body."""
        opener = _FENCE.match(line)
        if self.fence is not None:
            mark = opener.group(1) if opener else ""
            if mark[:1] == self.fence[:1] and len(mark) >= len(self.fence):
                self.fence = None
            return
        if opener:
            self.flush()
            self.fence = opener.group(1)
            return
        setext = _SETEXT.fullmatch(line)
        if setext and len(self.paragraph) == 1:
            self.flush(1 if setext.group(1)[0] == "=" else 2)
        elif not line.strip() or _RULE.fullmatch(line) or _REF_DEF.fullmatch(line):
            self.flush()
        elif not (_TABLE_RULE.fullmatch(line) and "-" in line and "|" in line):
            self._content(line)

    def _content(self, line: str) -> None:
        atx = _ATX.fullmatch(line)
        if atx:
            self.flush()
            if atx.group(2):
                self.blocks.append(Block(len(atx.group(1)), atx.group(2)))
            return
        quote = _QUOTE.match(line)
        content = (line[quote.end() :] if quote else line).strip()
        item = _LIST_ITEM.fullmatch(content)
        if item:
            self.flush()
            content = item.group(1).strip()
        elif len(content) > 1 and content.startswith("|") and content.endswith("|"):
            self.flush()
            content = ", ".join(cell.strip() for cell in content[1:-1].split("|"))
        if content:
            self.paragraph.append(content)
        else:
            self.flush()


def _markdown_blocks(text: str) -> list[Block]:
    """Headings and paragraphs of a Markdown body (code, comments and rules dropped)."""
    parser = _MarkdownBlocks()
    for line in _COMMENT.sub("", text).split("\n"):
        parser.feed(line)
    parser.flush()
    return parser.blocks


def _inline(text: str) -> str:
    """Markdown inline syntax reduced to the words (link text kept; URLs, images dropped)."""
    escapes: list[str] = []

    def hide(match: re.Match[str]) -> str:
        escapes.append(match.group(1))
        return f"\ue000{len(escapes) - 1}\ue001"

    text = _ESCAPED.sub(hide, text)
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    text = re.sub(r"\ue000(\d+)\ue001", lambda m: escapes[int(m.group(1))], text)
    text = re.sub(r"(?: {2,}|\\)$", "", html.unescape(text))
    return normalize(text)


def _markdown_debris(blocks: list[Block], rules: DebrisRules) -> list[Block]:
    """Debris rules applied to paragraphs and headings; an end marker ends the article.

    A Markdown file has no page around it, so one paragraph is enough for the body to have
    begun.
    """
    units = article_units([block.text for block in blocks], rules, PARAGRAPHS)
    return [Block(blocks[unit.index].level, unit.text) for unit in units]


def _markdown_title(
    blocks: list[Block], front: dict[str, str | list[str]]
) -> tuple[str | None, list[Block]]:
    """The title (front matter, else the first H1, else a first short line) and the rest."""
    title = front.get("title")
    if isinstance(title, str) and title:
        title = _inline(title)
        if blocks and blocks[0].level == 1 and blocks[0].text.casefold() == title.casefold():
            blocks = blocks[1:]
        return title, blocks
    for index, block in enumerate(blocks):
        if block.level == 1:
            return block.text, blocks[:index] + blocks[index + 1 :]
    if blocks and blocks[0].level == 0 and is_headline(blocks[0].text) and len(blocks) > 1:
        return blocks[0].text, blocks[1:]
    return None, blocks


def _markdown_head(front: dict[str, str | list[str]], blocks: list[Block], page: str) -> Head:
    """Byline and dates from short lines at the top of the body, then from front matter."""
    head = head_of_blocks(blocks, site_keys((), page))
    _apply_front(front, head)
    return head


def _apply_front(front: dict[str, str | list[str]], head: Head) -> None:
    for key, value in front.items():
        target = _FRONT_KEYS.get(key)
        if target is None or not value:
            continue
        if target == "authors":
            names = value if isinstance(value, list) else NAME_SEPARATORS.split(value)
            head.authors = tuple(name.strip() for name in names if name.strip())
        elif isinstance(value, str) and target != "title":
            setattr(head, target, value)
    if head.authors and not front.get("byline"):
        head.byline = " and ".join(head.authors) + (
            f" · {head.publication}" if head.publication else ""
        )


def clean_markdown(source: Source, rules: DebrisRules) -> Article:
    front, body = _front_matter(source.text)
    blocks = [
        Block(block.level, text)
        for block in _markdown_blocks(body)
        if (text := _inline(block.text)) and WORD.search(text)
    ]
    blocks = _markdown_debris(blocks, rules)
    title, blocks = _markdown_title(blocks, front)
    head = _markdown_head(front, blocks, source.text)
    blocks = [block for index, block in enumerate(blocks) if index not in head.used]
    sections = make_sections(blocks, stacked_as_text=False)
    if not sections:
        raise only_debris(source.name)
    extra = {k: v for k, v in front.items() if isinstance(v, str) and k not in _FRONT_KEYS}
    return make_article(source, title, sections, head, extra)
