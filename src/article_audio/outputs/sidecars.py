"""Sidecars: the files written beside the audio, sharing its stem.

``paris.mp3`` → ``paris.vtt``, ``paris.srt``, ``paris.transcript.json``, ``paris.words.json``
(timed transcripts),
``paris.chapters.json`` (Podcasting 2.0 chapters) and ``paris.html`` (the read-along player).
Every document is made first and only then written, each under a temporary name renamed into
place, so a failure never leaves a half-written file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from article_audio.audio.assemble import ChapterMark, Cue
from article_audio.config import TRANSCRIPT_FORMATS, SidecarOptions
from article_audio.errors import InputError
from article_audio.outputs import transcript
from article_audio.util import write_atomically

__all__ = ["SUFFIXES", "Timeline", "check_sidecars", "sidecar_paths", "write_sidecars"]

#: File-name endings (after the audio's stem) of each sidecar.
SUFFIXES = {
    "vtt": ".vtt",
    "srt": ".srt",
    "json": ".transcript.json",
    "words": ".words.json",
    "chapters": ".chapters.json",
    "html": ".html",
}
_TRANSCRIPTS: dict[str, Callable[[Sequence[Cue]], str]] = {
    "vtt": transcript.webvtt,
    "srt": transcript.srt,
    "json": transcript.transcript_json,
}


class Timeline(Protocol):
    """What sidecars are made from: a :class:`~article_audio.audio.assemble.Layout` or a
    :class:`~article_audio.apps.render.RenderResult`."""

    @property
    def chapters(self) -> Sequence[ChapterMark]: ...

    @property
    def cues(self) -> Sequence[Cue]: ...

    @property
    def words_estimated(self) -> bool: ...


def _kinds(options: SidecarOptions) -> list[str]:
    """The sidecars ``options`` ask for, in :data:`SUFFIXES` order."""
    wanted = set(options.transcripts)
    if options.chapters_json:
        wanted.add("chapters")
    if options.html:
        wanted.add("html")
    return [kind for kind in SUFFIXES if kind in wanted]


def sidecar_paths(audio_path: Path, options: SidecarOptions) -> dict[str, Path]:
    """Where each requested sidecar of ``audio_path`` goes, by kind."""
    return {
        kind: audio_path.with_name(audio_path.stem + SUFFIXES[kind]) for kind in _kinds(options)
    }


def check_sidecars(audio_path: Path, options: SidecarOptions) -> None:
    """Refuse unknown transcript formats, and a sidecar that would overwrite the audio itself
    (``-o paris.html --html``), before any work is done."""
    unknown = [name for name in options.transcripts if name not in TRANSCRIPT_FORMATS]
    if unknown:
        raise InputError(
            f"unknown transcript format {unknown[0]!r} (expected {', '.join(TRANSCRIPT_FORMATS)})"
        )
    for path in sidecar_paths(audio_path, options).values():
        if path.name == audio_path.name:
            raise InputError(f"{audio_path}: the audio file would be overwritten by a sidecar")


def _player(
    audio_path: Path,
    timeline: Timeline,
    title: str,
    byline: str | None,
    language: str,
    vtt_name: str | None,
) -> str:
    """The read-along HTML page (:mod:`.player`, imported only when asked for)."""
    from article_audio.outputs.player import render_player

    return render_player(
        title=title,
        audio_filename=audio_path.name,
        chapters=timeline.chapters,
        cues=timeline.cues,
        byline=byline,
        transcript_vtt_filename=vtt_name,
        language=language,
    )


def write_sidecars(
    audio_path: Path,
    timeline: Timeline,
    options: SidecarOptions,
    *,
    title: str,
    byline: str | None = None,
    language: str = "en",
) -> tuple[Path, ...]:
    """Write the sidecars ``options`` ask for beside ``audio_path``, each atomically, and
    return their paths (in :data:`SUFFIXES` order). ``language`` is the BCP 47 tag of the
    text, for the player page."""
    check_sidecars(audio_path, options)
    paths = sidecar_paths(audio_path, options)
    vtt = paths.get("vtt")
    documents: dict[Path, str] = {}  # every document made before any is written
    for kind, path in paths.items():
        if kind in _TRANSCRIPTS:
            documents[path] = _TRANSCRIPTS[kind](timeline.cues)
        elif kind == "words":
            documents[path] = transcript.words_json(timeline.cues, timeline.words_estimated)
        elif kind == "chapters":
            documents[path] = transcript.chapters_json(timeline.chapters, title)
        else:
            documents[path] = _player(
                audio_path, timeline, title, byline, language, vtt.name if vtt else None
            )
    for path, text in documents.items():
        write_atomically(path, text.encode("utf-8"))
    return tuple(documents)
