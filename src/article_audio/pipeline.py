"""The whole pipeline, stage by stage: the functions the CLI and other tools call.

read → clean → structure → split sentences → normalize → lexicon → narration script
→ synthesize → assemble → export. Each stage is its own module; this one only wires them and
times them.
"""

from __future__ import annotations

import os
import re
import time
import wave
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .assemble import ChapterMark, Cue, assemble, trim
from .clean import clean, load_debris
from .config import RenderOptions, ScriptOptions
from .engines import create_engine, engine_status
from .errors import InputError
from .export import Tags, atomic_path, export_mp3, iso_date
from .extract import extract_article
from .lexicon import Lexicon, load_lexicons
from .model import Article
from .narration import build_script, speak
from .read import Source, read_source
from .script import NarrationScript
from .synthesize import Progress, synthesize_script
from .voices import VoiceProfile, list_profiles, load_profile, voices_dir

DEFAULT_SCRIPT_OPTIONS = ScriptOptions()
DEFAULT_RENDER_OPTIONS = RenderOptions()


@dataclass(frozen=True)
class RenderResult:
    """What :func:`render` made: the file, its length, chapters, sentence cues and stage times."""

    path: Path
    duration_ms: int
    chapters: tuple[ChapterMark, ...]
    cues: tuple[Cue, ...]
    script: NarrationScript
    timings: dict[str, float] = field(default_factory=dict, compare=False)


class _Stopwatch:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - started


def load_article(
    path: str | Path | Source, input_format: str | None = None, debris: tuple[str, ...] = ()
) -> Article:
    """Read and clean an article: a file, ``-`` for stdin, or a :class:`Source` already read
    (a page from :func:`~article_audio.fetch.fetch_page`). HTML pages go through the
    extractor, text and Markdown through the clean stage; ``debris`` files add to the shipped
    debris rules."""
    source = path if isinstance(path, Source) else read_source(path, input_format)
    rules = load_debris([Path(name) for name in debris])
    if source.format == "html":
        return extract_article(source, rules)
    return clean(source, rules)


def profile_lexicon(profile: VoiceProfile, extra: tuple[str, ...] = ()) -> Lexicon:
    """The profile's shipped lexicons followed by the user's files (later entries win)."""
    shipped = [voices_dir() / name for name in profile.lexicons]
    return load_lexicons([*shipped, *(Path(p) for p in extra)], include_default=False)


def make_script(
    path: str | Path | Source,
    options: ScriptOptions = DEFAULT_SCRIPT_OPTIONS,
    *,
    _watch: _Stopwatch | None = None,
) -> NarrationScript:
    """The narration script for the article at ``path``: what would be spoken, without audio."""
    watch = _watch or _Stopwatch()
    with watch.stage("read+clean"):
        article = load_article(path, options.input_format, options.debris)
    with watch.stage("lexicon load"):
        profile = load_profile(options.voice)
        lexicon = profile_lexicon(profile, options.lexicons)
    with watch.stage("script"):
        return build_script(article, profile, lexicon, options.max_sentence_chars)


def default_output(path: str | Path | Source, title: str) -> Path:
    """``article.txt`` → ``article.mp3``; stdin or a fetched page → a name made from the title."""
    if not isinstance(path, Source) and str(path) != "-":
        return Path(Path(path).name).with_suffix(".mp3")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower()[:60] or "article"
    return Path(f"{slug}.mp3")


def check_output(output: Path) -> None:
    """Refuse an output whose folder is missing or not writable, before any work is done."""
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{output}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise InputError(f"{output}: folder {folder} is not writable")
    if output.is_dir():
        raise InputError(f"{output}: is a directory")


def tags_for(script: NarrationScript) -> Tags:
    artist = ", ".join(script.authors) or script.publication or script.byline
    comment = f"Narrated by article-audio with the {script.voice} voice"
    if script.source:
        comment += f" from {Path(script.source).name}"
    return Tags(
        title=script.title,
        artist=artist,
        album=script.publication,
        date=iso_date(script.published),
        comment=comment,
    )


def render(
    path: str | Path | Source,
    output: str | Path | None = None,
    options: RenderOptions = DEFAULT_RENDER_OPTIONS,
    progress: Progress | None = None,
) -> RenderResult:
    """Render the article at ``path`` to a chaptered MP3 and return what was made."""
    watch = _Stopwatch()
    script = make_script(path, options.script, _watch=watch)
    destination = Path(output) if output is not None else default_output(path, script.title)
    check_output(destination)
    profile = load_profile(options.script.voice)
    with watch.stage("engine load"):
        engine = create_engine(profile)
    try:
        with watch.stage("synthesize"):
            spoken = synthesize_script(script, engine, profile, progress)
    finally:
        engine.close()
    with watch.stage("assemble"):
        narration = assemble(script, spoken, profile)
    with watch.stage("export"):
        export_mp3(narration, destination, tags_for(script), options.bitrate_kbps)
    return RenderResult(
        path=destination,
        duration_ms=narration.duration_ms,
        chapters=narration.chapters,
        cues=narration.cues,
        script=script,
        timings=watch.timings,
    )


def say(
    text: str, output: str | Path, voice: str = ScriptOptions.voice, lexicons: tuple[str, ...] = ()
) -> Path:
    """Speak one word or sentence (normalized, lexicon applied) to a WAV file."""
    if not text.strip():
        raise InputError("nothing to say: the text is empty")
    destination = Path(output)
    check_output(destination)
    profile = load_profile(voice)
    spoken = speak(text, profile_lexicon(profile, lexicons), profile.phoneme_mode)
    engine = create_engine(profile)
    try:
        audio = trim(engine.synthesize(spoken))
    finally:
        engine.close()
    with atomic_path(destination) as temporary, wave.open(str(temporary), "wb") as handle:
        handle.setnchannels(audio.channels)
        handle.setsampwidth(audio.sample_width)
        handle.setframerate(audio.frame_rate)
        handle.writeframes(audio.raw_data)
    return destination


def voice_report() -> list[tuple[VoiceProfile, bool, str]]:
    """Every shipped profile, whether it works on this machine, and why not."""
    return [(profile, *engine_status(profile)) for profile in list_profiles()]
