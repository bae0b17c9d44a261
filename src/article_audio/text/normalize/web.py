"""The web-address pass: e-mail and web addresses, file addresses, @handles and #hashtags,
read the way a newsreader spells one out for listeners to type.

Inside an address every mark that matters is said ("dot", "slash", "dash", "underscore"),
digits are read one by one ("asdf123" -> "asdf one two three") except round numbers
("rtx-6000" -> "rtx dash six thousand"), and what a listener never types is left out: the
"https://" and "www." of a web address and a trailing slash.
"""

from __future__ import annotations

import re
from typing import Final

from article_audio.text.normalize.data import WEB_TLDS, WEB_WORDS, alternation
from article_audio.text.normalize.number_words import integer_words, spell_digits

_LAST = r"[^\s.,;:!?)\"'”’]"  # an address never ends with sentence punctuation
_PATH = rf"(?P<path>/(?:\S*{_LAST})?)?"
_HOST = r"(?P<host>(?:[A-Za-z0-9-]{2,}\.)+[A-Za-z]{2,})(?![\w-])"
_EMAIL = re.compile(rf"(?<![\w.+&-])(?P<local>[A-Za-z0-9._+&-]+)@{_HOST}{_PATH}")
_SCHEME_URL = re.compile(
    rf"(?<![\w.])(?P<scheme>[A-Za-z][A-Za-z+.-]*)://(?P<host>[A-Za-z0-9.-]*){_PATH}"
)
_BARE_URL = re.compile(rf"(?<![\w.@/-])(?P<www>www\.)?{_HOST}(?!\.\w){_PATH}", re.IGNORECASE)
_KNOWN_TLD = re.compile(rf"\.(?:{alternation(WEB_TLDS)})(?:\.|$)", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{1,30})\b")
_HASHTAG = re.compile(r"(?<![\w#&])#([A-Za-z]\w*)")

#: Marks said inside an address; any other mark in a path ("?", "=", "&") is a pause.
_MARKS: Final = {".": "dot", "-": "dash", "_": "underscore", "&": "ampersand", "+": "plus"}
_PIECES = re.compile(r"\d+|[^\W\d_]+|[.\-_&+]")
_WEB_PREFIX = re.compile(r"^www\.", re.IGNORECASE)


def _number(digits: str) -> str:
    """Digits in an address: one by one, but a round number as a number ("6000")."""
    if len(digits) > 1 and digits[0] != "0" and digits.endswith("00"):
        return integer_words(digits)
    return spell_digits(digits)


def _say(part: str, marks: str = ".-_&+") -> str:
    """One part of an address read aloud: "gma4i-l" -> "gma four i dash l"."""
    words: list[str] = []
    for piece in _PIECES.findall(part):
        if piece.isdecimal():
            words.append(_number(piece))
        elif piece in _MARKS:
            if piece in marks:
                words.append(_MARKS[piece])
        else:
            words.append(WEB_WORDS.get(piece.lower(), piece))
    return " ".join(words)


def _say_path(path: str | None) -> str:
    """A path read aloud: "/news/world-cup" -> "slash news slash world dash cup"; a trailing
    slash is not said."""
    if not path:
        return ""
    parts = path.rstrip("/").split("/")[1:]
    return "".join(f" slash {_say(part, '.-_')}".rstrip() for part in parts)


def _say_host(host: str) -> str:
    """A host name without its "www.": "www.cbc.ca" -> "cbc dot ca"."""
    return _say(_WEB_PREFIX.sub("", host))


def _email(match: re.Match[str]) -> str:
    """ "john.doe@cbc.ca" -> "john dot doe at cbc dot ca"."""
    return f"{_say(match.group('local'))} at {_say_host(match.group('host'))}" + _say_path(
        match.group("path")
    )


def _scheme_url(match: re.Match[str]) -> str:
    """An address with a scheme; "http(s)://" is not said, any other scheme is."""
    scheme, host = match.group("scheme"), match.group("host")
    if scheme.lower() in ("http", "https") and host:
        return _say_host(host) + _say_path(match.group("path"))
    spoken = f"{scheme} colon slash slash"
    if host:
        spoken += " " + _say_host(host)
    return spoken + _say_path(match.group("path"))


def _bare_url(match: re.Match[str]) -> str:
    """A web address without a scheme: "www." or a known top-level domain shows it, or a
    name in lower case ("ourdailynews.abc", "node.js"); anything else is left alone."""
    host = match.group("host")
    if not (match.group("www") or _KNOWN_TLD.search(host) or match.group(0).islower()):
        return match.group(0)
    return _say_host(host) + _say_path(match.group("path"))


def expand_web_addresses(text: str) -> str:
    """Read e-mail addresses, web addresses, @handles and #hashtags.

    "https://www.nvidia.com/dgx-basepod" -> "nvidia dot com slash dgx dash basepod",
    "john.doe@cbc.ca" -> "john dot doe at cbc dot ca", "file:///photos/image.jpg" -> "file
    colon slash slash slash photos slash image dot jpeg", "@CBCNews" -> "at CBCNews".
    """
    text = _EMAIL.sub(_email, text)
    text = _SCHEME_URL.sub(_scheme_url, text)
    text = _BARE_URL.sub(_bare_url, text)
    text = _HANDLE.sub(r"at \1", text)
    return _HASHTAG.sub(r"hashtag \1", text)
