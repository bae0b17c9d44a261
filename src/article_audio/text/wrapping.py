"""Hard-wrapped text: a scrape or a text file whose paragraphs were broken at a fixed width
("fold -w 72", an e-mail) gets each paragraph back on one line, so the clean stage sees
paragraphs, not fragments."""

from __future__ import annotations

import re
from collections.abc import Sequence

from article_audio.text.lines import is_sentence

#: Longest line of a hard-wrapped text; longer lines mean one paragraph per line.
MAX_WRAP_WIDTH = 100
#: Shortest wrap width considered (shorter lines say nothing about wrapping).
MIN_WRAP_WIDTH = 40
#: A wrapped line at least this fraction of the wrap width continues on the next line.
WRAP_FRACTION = 0.6
#: Share of such wide lines that must run on into the next line for the text to be wrapped.
WRAP_CONTINUED = 0.3

_BULLET = re.compile(r"([-*+•]|\d{1,3}[.)])\s")


def _wrap_width(lines: Sequence[str]) -> int | None:
    """The wrap column if ``lines`` are hard-wrapped paragraphs, else None."""
    lengths = [len(line) for line in lines if len(line) >= MIN_WRAP_WIDTH]
    if not lengths or sum(n > MAX_WRAP_WIDTH for n in lengths) > len(lengths) / 10:
        return None
    width = max(n for n in lengths if n <= MAX_WRAP_WIDTH)
    wide = [i for i, line in enumerate(lines[:-1]) if len(line) >= WRAP_FRACTION * width]
    continued = sum(1 for i in wide if lines[i + 1] and not is_sentence(lines[i]))
    return width if continued >= max(2, len(wide) * WRAP_CONTINUED) else None


def unwrap(lines: list[str]) -> list[str]:
    """Hard-wrapped paragraphs joined back into one line each; other text unchanged."""
    width = _wrap_width(lines)
    if width is None:
        return lines
    out: list[str] = []
    previous = ""
    for line in lines:
        joins = bool(out and out[-1] and line and len(previous) >= WRAP_FRACTION * width)
        if joins and not _BULLET.match(line):
            out[-1] = _join_wrapped(out[-1], line)
        else:
            out.append(line)
        previous = line
    return out


def _join_wrapped(head: str, tail: str) -> str:
    if re.search(r"[^\W\d_]-$", head) and tail[:1].islower():
        return head + tail
    return f"{head} {tail}"
