"""What the Listen service is asked: JSON bodies read, checked and turned into plain values.

Every problem is an :class:`~article_audio.errors.InputError` with a one-line message (the
service answers it with a 4xx and ``{"error": message}``). Bodies keep the article limits: at
most :data:`~article_audio.text.read.MAX_INPUT_BYTES`, and the words an article may have.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from article_audio.errors import InputError
from article_audio.text.fetch import check_url
from article_audio.text.lexicon.toml_reader import toml_entries

#: The kinds of article input a POST may carry, one of them.
INPUT_KINDS = ("url", "html", "text", "markdown")
#: A publisher's article id: it names a folder and a URL path segment.
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
#: The keys a lexicon entry may have (as in a TOML lexicon's ``[[entry]]``).
LEXICON_KEYS = ("grapheme", "graphemes", "ipa", "respelling", "case_sensitive")
#: Audio formats the speech endpoint streams, and their media types.
SPEECH_FORMATS = {"mp3": "audio/mpeg", "wav": "audio/wav", "opus": "audio/ogg"}
#: Speeds the speech endpoint accepts (OpenAI's range).
SPEED_RANGE = (0.25, 4.0)


@dataclass(frozen=True)
class ArticleRequest:
    """One article to narrate: its input (a URL, or the page or text itself), the voice, and
    extra lexicon entries as TOML (empty for none)."""

    kind: str
    content: str
    voice: str
    lexicon: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ArticleRequest:
        return cls(**{key: str(data[key]) for key in ("kind", "content", "voice", "lexicon")})

    @property
    def content_hash(self) -> str:
        """A hash of everything asked for: the same request again is a no-op."""
        return text_hash(json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False))


@dataclass(frozen=True)
class SpeechRequest:
    """An OpenAI-style speech request: the text, the voice, the format and speed."""

    text: str
    voice: str
    response_format: str
    speed: float


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_json(body: bytes) -> dict[str, Any]:
    """The JSON object ``body`` holds."""
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"the body is not JSON ({exc})") from exc
    if not isinstance(document, dict):
        raise InputError("the body must be a JSON object")
    return document


def _string(document: Mapping[str, Any], key: str, default: str | None = None) -> str | None:
    value = document.get(key, default)
    if value is not None and not isinstance(value, str):
        raise InputError(f"{key!r} must be a string")
    return value


def pick_voice(asked: str | None, voices: tuple[str, ...], default: str) -> str:
    """``asked`` if the service has it, the service's voice if not given."""
    if asked is None or asked == default:
        return default
    if asked not in voices:
        raise InputError(f"unknown voice {asked!r} (available: {', '.join(voices)})")
    return asked


def parse_article(
    body: bytes, voices: tuple[str, ...], default_voice: str
) -> tuple[str | None, ArticleRequest]:
    """The id asked for (None: one is made from the content) and the article request."""
    document = read_json(body)
    given = [kind for kind in INPUT_KINDS if document.get(kind) is not None]
    if len(given) != 1:
        raise InputError(f"give exactly one of {', '.join(INPUT_KINDS)}")
    kind = given[0]
    content = _string(document, kind) or ""
    if not content.strip():
        raise InputError(f"{kind!r} is empty")
    if kind == "url":
        content = check_url(content)
    article_id = _string(document, "id")
    if article_id is not None and not ID_PATTERN.fullmatch(article_id):
        raise InputError(
            "'id' must be 1 to 128 letters, digits, '.', '_' or '-', starting with a letter "
            "or digit"
        )
    voice = pick_voice(_string(document, "voice"), voices, default_voice)
    lexicon = lexicon_toml(document.get("lexicon"))
    return article_id, ArticleRequest(kind, content, voice, lexicon)


def lexicon_toml(entries: object) -> str:
    """Lexicon entries (a list of objects, as a TOML lexicon's ``[[entry]]`` tables) as the
    text of a TOML lexicon, checked by the lexicon reader."""
    if entries is None or entries == []:
        return ""
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise InputError("'lexicon' must be a list of entries (objects)")
    tables = []
    for entry in entries:
        unknown = sorted(set(entry) - set(LEXICON_KEYS))
        if unknown:
            raise InputError(f"unknown lexicon key {unknown[0]!r}")
        lines = [f"{key} = {_toml_value(value)}" for key, value in entry.items()]
        tables.append("[[entry]]\n" + "\n".join(lines) + "\n")
    text = "\n".join(tables)
    toml_entries(text.encode("utf-8"), "lexicon")  # a LexiconError (an InputError) if bad
    return text


def _toml_value(value: object) -> str:
    """A JSON value as TOML: strings (JSON's escapes are TOML's), lists of them, booleans."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "[" + ", ".join(json.dumps(item, ensure_ascii=False) for item in value) + "]"
    raise InputError("lexicon values must be strings, lists of strings or booleans")


def made_id(request: ArticleRequest) -> str:
    """An id for an article posted without one: the same input gets the same id."""
    return request.content_hash[:16]


def parse_speech(body: bytes, voices: tuple[str, ...], default_voice: str) -> SpeechRequest:
    """An OpenAI ``/v1/audio/speech`` body: ``model`` (any), ``input``, ``voice`` (one of ours,
    else the service's voice: OpenAI's names such as ``alloy`` mean "the default"),
    ``response_format`` (mp3, wav or opus) and ``speed``."""
    document = read_json(body)
    text = _string(document, "input")
    if not text or not text.strip():
        raise InputError("'input' is empty")
    _string(document, "model")
    asked = _string(document, "voice")
    voice = asked if asked in voices else default_voice
    response_format = _string(document, "response_format", "mp3") or "mp3"
    if response_format not in SPEECH_FORMATS:
        raise InputError(
            f"unsupported response_format {response_format!r} "
            f"(expected {', '.join(SPEECH_FORMATS)})"
        )
    speed = document.get("speed", 1.0)
    if isinstance(speed, bool) or not isinstance(speed, (int, float)):
        raise InputError("'speed' must be a number")
    low, high = SPEED_RANGE
    if not low <= speed <= high:
        raise InputError(f"'speed' must be between {low:g} and {high:g}")
    return SpeechRequest(text, voice, response_format, float(speed))
