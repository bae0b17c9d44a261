"""Configuration: frozen dataclasses with named defaults; the one place the environment is read."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

#: The voice profile used when none is named: Kokoro-82M's af_heart (README, "Voices": the
#: lowest word error rate and a DNSMOS above Piper joe's on the example; joe stays for speed).
DEFAULT_VOICE = "heart"
DEFAULT_BITRATE_KBPS = 64
#: Bitrates LAME accepts for mono MPEG-1/2 layer III that make sense for speech.
BITRATES_KBPS = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192)
#: Sentences longer than this (characters) are split at clause boundaries before synthesis;
#: shorter ones reach the voice whole, as one utterance (one intonation, no pause mid-phrase).
#: One sentence in ten of news text is 200-450 characters. Piper's model-run cap and noise
#: table are sized for it (:data:`article_audio.engines.piper.engine.MAX_RUN_PHONEMES`), and
#: its decoder runs long sentences in pieces so memory stays bounded
#: (:data:`article_audio.engines.piper.model.DECODE_FRAMES`).
MAX_SENTENCE_CHARS = 450
#: Articles longer than this many words (about ten hours of speech) are refused (--max-words).
MAX_WORDS = 100_000
#: Chapters planned for articles without headings, in seconds of estimated speech.
CHAPTER_MIN_S = 45
CHAPTER_TARGET_S = 80
CHAPTER_MAX_S = 120


@dataclass(frozen=True)
class Environment:
    """What the process environment tells us; read once by :func:`read_environment`."""

    ffmpeg: str | None = None
    cache_dir: str | None = None


def read_environment(environ: Mapping[str, str] | None = None) -> Environment:
    """The only place article-audio reads environment variables.

    ``ARTICLE_AUDIO_FFMPEG``: path of the ffmpeg binary to use instead of looking it up.
    ``ARTICLE_AUDIO_CACHE_DIR``: the cache folder, instead of the user cache directory.
    """
    env = os.environ if environ is None else environ
    return Environment(
        ffmpeg=env.get("ARTICLE_AUDIO_FFMPEG") or None,
        cache_dir=env.get("ARTICLE_AUDIO_CACHE_DIR") or None,
    )


def default_cache_dir(environment: Environment) -> Path:
    """``ARTICLE_AUDIO_CACHE_DIR`` (from ``environment``), else the platform's user cache
    directory (platformdirs), e.g. ``~/.cache/article-audio`` on Linux."""
    if environment.cache_dir:
        return Path(environment.cache_dir).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("article-audio", appauthor=False))


def default_jobs() -> int:
    """Synthesis workers when none are asked for: the cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class ScriptOptions:
    """Everything that decides what is said."""

    voice: str = DEFAULT_VOICE
    lexicons: tuple[str, ...] = ()
    input_format: str | None = None
    max_sentence_chars: int = MAX_SENTENCE_CHARS
    #: User debris files (``--debris``), added to the shipped ``data/debris.toml`` rules.
    debris: tuple[str, ...] = ()
    #: Longer articles are refused before any heavy work (``--max-words``).
    max_words: int = MAX_WORDS
    #: For audio heard while it is made (the Listen service's live stream): a slow voice's
    #: first sentence is cut at a phrase boundary so its first utterance is heard within about
    #: a second (:func:`article_audio.clauses.first_utterance`). Off for files made to be heard
    #: later, whose title is read whole, in one breath.
    quick_start: bool = False


#: Input formats (``--format`` on the command line; default from the file suffix).
INPUT_FORMATS = ("text", "markdown", "html")
#: Audio formats (``--audio-format``; default from the output's suffix, else mp3): MP3 with ID3
#: chapters, an AAC audiobook with MP4 chapters, 16-bit PCM WAV, or Ogg Opus with chapters in
#: its Vorbis comments.
AUDIO_FORMATS = ("mp3", "m4b", "wav", "opus")
#: Timed transcript formats written beside the audio.
TRANSCRIPT_FORMATS = ("vtt", "srt", "json", "words")
#: Integrated loudness target (LUFS, ITU-R BS.1770) and true-peak ceiling (dBTP).
DEFAULT_LOUDNESS_LUFS = -16.0
TRUE_PEAK_CEILING_DBTP = -1.0
#: Loudness targets accepted (LUFS): from quiet archives to loud streaming speech.
LOUDNESS_RANGE_LUFS = (-36.0, -9.0)


@dataclass(frozen=True)
class SidecarOptions:
    """Files written beside the audio, sharing its stem: ``paris.mp3`` → ``paris.vtt``,
    ``paris.srt``, ``paris.transcript.json``, ``paris.chapters.json``, ``paris.html``."""

    transcripts: tuple[str, ...] = ()
    chapters_json: bool = False
    html: bool = False

    @classmethod
    def everything(cls) -> SidecarOptions:
        return cls(transcripts=TRANSCRIPT_FORMATS, chapters_json=True, html=True)


@dataclass(frozen=True)
class RenderOptions:
    """Everything that decides how it sounds and where it goes."""

    script: ScriptOptions = ScriptOptions()
    bitrate_kbps: int = DEFAULT_BITRATE_KBPS
    audio_format: str = "mp3"
    loudness_lufs: float = DEFAULT_LOUDNESS_LUFS
    cover: str | None = None
    sidecars: SidecarOptions = SidecarOptions()
    #: Sentences synthesized at once (``--jobs``); ``None``: :func:`default_jobs`.
    jobs: int | None = None
    #: The cache folder (``--cache-dir``); ``None``: :func:`default_cache_dir`.
    cache_dir: str | None = None
    #: ``False`` (``--no-cache``): neither read nor write the cache.
    use_cache: bool = True


def default_data_dir() -> Path:
    """Where the Listen service keeps its jobs, cache and audio when no ``--data-dir`` is
    given: the platform's user data directory (platformdirs), e.g.
    ``~/.local/share/article-audio`` on Linux."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("article-audio", appauthor=False))
