"""The cache's keys, one module: what each kind of cache entry is made from, hashed.

* a sentence's audio (:func:`sentence_key`, :func:`sentence_keys`): the exact spoken string,
  the voice's identity (:func:`article_audio.engines.voice_identity`) and the version of the
  word timing whose results the entry keeps;
* a narration script (:func:`script_key`): the cleaned article, the voice profile, the
  lexicon and this package's own code and data;
* a sentence mastered for one encoding pass (:func:`mastered_key`): its audio's key, the
  pass's target, ceiling and trim, the sample rate, and the mastering's own settings, version
  and numeric libraries;
* where a sentence's written words are heard (:func:`times_key`): its audio's key, its written
  text and this package's own code;
* a whole render (:func:`render_key`): everything that decides the finished file's bytes.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from article_audio.audio.assemble import pauses
from article_audio.audio.encode import encoder_identity
from article_audio.audio.loudness import mastering_parameters
from article_audio.engines import voice_identity
from article_audio.engines.timing import TIMING_VERSION
from article_audio.script import NarrationScript
from article_audio.util import package_version
from article_audio.voices import VoiceProfile

if TYPE_CHECKING:
    from article_audio.audio.encode import AudioSettings
    from article_audio.audio.tags import Tags
    from article_audio.text.article import Article
    from article_audio.text.lexicon import Lexicon

__all__ = [
    "CACHE_FORMAT",
    "RENDER_FORMAT",
    "mastered_key",
    "render_key",
    "script_key",
    "sentence_key",
    "sentence_keys",
    "times_key",
]

#: Bump when the meaning of a key or the audio an engine wrapper produces changes. 2: entries
#: keep the sentence's word times.
CACHE_FORMAT = 2
#: Bump when the same inputs would make different bytes (mastering, layout, encoding changes).
#: 3: a render's layout keeps its word times.
RENDER_FORMAT = 3


def sentence_key(spoken: str, identity: Mapping[str, str]) -> str:
    """The cache key (hex SHA-256) of ``spoken`` said by the voice ``identity`` describes."""
    payload = json.dumps(
        {
            "format": CACHE_FORMAT,
            "timing": TIMING_VERSION,
            "spoken": spoken,
            "voice": dict(identity),
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def sentence_keys(script: NarrationScript, profile: VoiceProfile) -> tuple[str, ...]:
    """The cache key of every sentence of ``script`` said by ``profile``, in order."""
    identity = voice_identity(profile)
    return tuple(sentence_key(s.spoken, identity) for s in script.sentences)


def mastered_key(
    sentence: str, target_lufs: float, ceiling_dbtp: float, trim_db: float, rate: int
) -> str:
    """The cache key of the sentence whose audio is cached under ``sentence``, mastered to
    ``target_lufs`` under ``ceiling_dbtp``, lowered by ``trim_db``, as PCM at ``rate`` Hz.
    The numbers are kept exactly (a later pass's corrected target is another key), with the
    mastering's settings and version (:func:`~article_audio.audio.loudness.mastering_parameters`)
    and the versions of the libraries that compute it."""
    payload = json.dumps(
        {
            "sentence": sentence,
            "target": target_lufs,
            "ceiling": ceiling_dbtp,
            "trim": trim_db,
            "rate": rate,
            "mastering": mastering_parameters(),
            "libraries": _numeric_libraries(),
        },
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def times_key(sentence: str, text: str) -> str:
    """The cache key of where the written words of ``text`` are heard in the sentence whose
    audio is cached under ``sentence`` (its trimmed audio, see
    :func:`article_audio.audio.words.sentence_times`), as this package's code finds them."""
    payload = json.dumps(
        {"kind": "times", "sentence": sentence, "text": text, "code": _code_fingerprint()},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@functools.cache
def _numeric_libraries() -> dict[str, str]:
    """The versions of the libraries mastering computes with (another version may round a
    sample the other way)."""
    return {name: package_version(name) for name in ("numpy",)}


def script_key(
    article: Article,
    profile: VoiceProfile,
    lexicon: Lexicon,
    max_chars: int,
    first_utterance_chars: int | None = None,
) -> str:
    """What a narration script is made from, hashed: the cleaned article, the voice profile,
    the lexicon entries, the sentence limit, the first utterance's window (None: the first
    sentence whole), and this package's own code and data."""
    made_from = (article, profile, lexicon.entries, max_chars, first_utterance_chars)
    material = repr((*made_from, _code_fingerprint()))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


@functools.cache
def _code_fingerprint() -> str:
    """A hash of every file of this package (code, shipped lists and rules), so a script made
    by other code is never reused, whatever the version number says."""
    digest = hashlib.sha256()
    root = Path(__file__).parents[1]
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix != ".pyc":
            digest.update(str(path.relative_to(root)).encode("utf-8"))
            digest.update(path.read_bytes())
    return digest.hexdigest()


def render_key(
    script: NarrationScript,
    sentence_keys: Sequence[str],
    profile: VoiceProfile,
    settings: AudioSettings,
    tags: Tags,
) -> str:
    """A hash of everything that decides the finished file's bytes, the encoder included (a
    file is kept only once it was checked; another ffmpeg makes and checks its own)."""
    shape = [[len(p.sentences) for p in chapter.paragraphs] for chapter in script.chapters]
    cover = hashlib.sha256(settings.cover.data).hexdigest() if settings.cover else None
    document = {
        "format": RENDER_FORMAT,
        "version": package_version(),
        "sentences": list(sentence_keys),
        "texts": [s.text for s in script.sentences],
        "chapters": [chapter.title for chapter in script.chapters],
        "shape": shape,
        "pauses": list(pauses(script, profile)),
        "settings": {**asdict(settings), "cover": cover},
        "encoder": encoder_identity(),
        "tags": asdict(tags),
    }
    payload = json.dumps(document, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
