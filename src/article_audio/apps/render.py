"""The whole pipeline, stage by stage: the functions the CLI and other tools call.

read → clean → structure → split sentences → normalize → lexicon → narration script
→ synthesize → assemble → export. Each stage is its own module; this one only wires them and
times them.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import tempfile
import time
import wave
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from article_audio.audio.assemble import ChapterMark, Cue, trim
from article_audio.audio.encode import AudioSettings, audio_settings
from article_audio.audio.jobs import (
    ProgressCallback,
    load_in_background,
    local_executor,
    sentence_keys,
)
from article_audio.audio.loudness import Measurement
from article_audio.audio.produce import Production, keep, produce, render_key, reuse
from article_audio.audio.segment import use_ffmpeg
from article_audio.audio.tags import Tags, iso_date
from article_audio.config import (
    MAX_WORDS,
    RenderOptions,
    ScriptOptions,
    default_cache_dir,
    default_jobs,
)
from article_audio.engines import create_engine, engine_status, phoneme_inventory
from article_audio.errors import InputError
from article_audio.outputs.sidecars import check_sidecars, write_sidecars
from article_audio.script import NarrationScript
from article_audio.store.cache import SentenceCache
from article_audio.text.article import Article
from article_audio.text.clean import clean, load_debris
from article_audio.text.extract import extract_article
from article_audio.text.lexicon import Lexicon, load_lexicons
from article_audio.text.narration import build_script, speak
from article_audio.text.read import Source, check_word_limit, read_source
from article_audio.util import atomic_path
from article_audio.voices import VoiceProfile, list_profiles, load_profile, voices_dir

DEFAULT_SCRIPT_OPTIONS = ScriptOptions()
DEFAULT_RENDER_OPTIONS = RenderOptions()


@dataclass(frozen=True)
class RenderResult:
    """What :func:`render` made: the file, its length, chapters, sentence cues and stage times;
    the sidecars written beside it, and the audio's loudness as a player decodes it."""

    path: Path
    duration_ms: int
    chapters: tuple[ChapterMark, ...]
    cues: tuple[Cue, ...]
    script: NarrationScript
    timings: dict[str, float] = field(default_factory=dict, compare=False)
    sidecars: tuple[Path, ...] = ()
    loudness: Measurement | None = None
    #: Sentences synthesized by this render, and found in the cache (distinct sentences).
    synthesized: int = 0
    cached: int = 0
    #: The whole file was an identical earlier render, copied from the cache.
    reused: bool = False


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
    path: str | Path | Source,
    input_format: str | None = None,
    debris: tuple[str, ...] = (),
    max_words: int = MAX_WORDS,
) -> Article:
    """Read and clean an article: a file, ``-`` for stdin, or a :class:`Source` already read
    (a page from :func:`~article_audio.text.fetch.fetch_page`). HTML pages go through the
    extractor, text and Markdown through the clean stage; ``debris`` files add to the shipped
    debris rules. An article of more than ``max_words`` words is refused."""
    source = path if isinstance(path, Source) else read_source(path, input_format, max_words)
    rules = load_debris([Path(name) for name in debris])
    article = extract_article(source, rules) if source.format == "html" else clean(source, rules)
    check_word_limit(article.word_count, source.name, max_words)
    return article


def profile_lexicon(profile: VoiceProfile, extra: tuple[str, ...] = ()) -> Lexicon:
    """The profile's shipped lexicons followed by the user's files (later entries win), less
    the IPA the voice cannot say (a :class:`~article_audio.text.lexicon.LexiconWarning` each)."""
    shipped = [voices_dir() / name for name in profile.lexicons]
    lexicon = load_lexicons([*shipped, *(Path(p) for p in extra)], include_default=False)
    return lexicon.for_voice(phoneme_inventory(profile), profile.name)


def make_script(
    path: str | Path | Source,
    options: ScriptOptions = DEFAULT_SCRIPT_OPTIONS,
    *,
    cache: SentenceCache | None = None,
    _watch: _Stopwatch | None = None,
    _building: Callable[[VoiceProfile], object] | None = None,
) -> NarrationScript:
    """The narration script for the article at ``path``: what would be spoken, without audio.

    With ``cache``, a script made before from the same cleaned article, voice, lexicon and
    code is read back instead of made again (sentence splitting loads nltk, which takes most of
    the time of re-rendering an unchanged article). ``_building`` is called with the voice
    profile when the script is about to be built rather than read back.
    """
    watch = _watch or _Stopwatch()
    with watch.stage("read+clean"):
        article = load_article(path, options.input_format, options.debris, options.max_words)
    with watch.stage("lexicon load"):
        profile = load_profile(options.voice)
        lexicon = profile_lexicon(profile, options.lexicons)
    with watch.stage("script"):
        key = None
        if cache is not None:
            key = script_key(article, profile, lexicon, options.max_sentence_chars)
            if (known := cache.get_document(key)) is not None:
                with contextlib.suppress(KeyError, TypeError, ValueError):
                    return NarrationScript.from_dict(known, source=article.source)
        if _building is not None:
            _building(profile)
        script = build_script(article, profile, lexicon, options.max_sentence_chars)
        if cache is not None and key is not None:
            cache.put_document(key, script.to_dict())
        return script


def script_key(article: Article, profile: VoiceProfile, lexicon: Lexicon, max_chars: int) -> str:
    """What a narration script is made from, hashed: the cleaned article, the voice profile,
    the lexicon entries, the sentence limit, and this package's own code and data."""
    material = repr((article, profile, lexicon.entries, max_chars, _code_fingerprint()))
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
        problem = "is not a folder" if folder.exists() else "does not exist"
        raise InputError(f"{output}: folder {folder} {problem}")
    if not os.access(folder, os.W_OK) or not _can_create_in(folder):
        raise InputError(f"{output}: folder {folder} is not writable")
    if output.is_dir():
        raise InputError(f"{output}: is a directory")


def _can_create_in(folder: Path) -> bool:
    """Whether a file can really be created in ``folder``: for root, ``os.access`` ignores
    permission bits, and pseudo file systems (``/sys``) refuse what it allows."""
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".article-audio-probe-"):
            return True
    except OSError:
        return False


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
    progress: ProgressCallback | None = None,
    executor: Executor | None = None,
) -> RenderResult:
    """Render the article at ``path`` to a chaptered MP3 (or M4B) with the sidecars
    ``options`` ask for, and return what was made.

    Sentences come from the cache when they are there; the rest are synthesized on
    ``executor`` (workers shared by a batch, a Dask cluster's executor…) or, without
    one, on ``options.jobs`` local workers (:func:`article_audio.audio.jobs.local_executor`). An
    unchanged article is copied from the cache. ``progress`` is told how many sentences are done.
    """
    watch = _Stopwatch()
    remembered = SentenceCache(_cache_folder(options)) if options.use_cache else None
    # a new script means sentences to synthesize: the voice loads while the script is built
    preload = load_in_background if executor is None else None
    script = make_script(path, options.script, cache=remembered, _watch=watch, _building=preload)
    destination = Path(output) if output is not None else default_output(path, script.title)
    if output is None:
        destination = destination.with_suffix(f".{options.audio_format}")
    check_output(destination)
    settings = audio_settings(options, destination)  # reads the cover: bad input fails here
    check_sidecars(destination, options.sidecars)
    use_ffmpeg()  # a missing ffmpeg fails here, not after synthesis
    profile = load_profile(options.script.voice)
    with _sentence_cache(options) as cache:
        made = _produce(script, profile, destination, settings, cache, executor, options, progress)
    watch.timings.update(made.timings or {})
    with watch.stage("sidecars"):
        sidecars = write_sidecars(
            destination,
            made.layout,
            options.sidecars,
            title=script.title,
            byline=script.byline,
            language=profile.language,
        )
    return RenderResult(
        path=destination,
        duration_ms=made.layout.duration_ms,
        chapters=made.layout.chapters,
        cues=made.layout.cues,
        script=script,
        timings=watch.timings,
        sidecars=sidecars,
        loudness=made.loudness,
        synthesized=made.synthesized,
        cached=made.cached,
        reused=made.reused,
    )


def _cache_folder(options: RenderOptions) -> Path:
    return Path(options.cache_dir) if options.cache_dir else default_cache_dir()


@contextmanager
def _sentence_cache(options: RenderOptions) -> Iterator[SentenceCache]:
    """The cache the options name; with ``use_cache=False``, a private one removed afterwards
    (the render still streams through it)."""
    if options.use_cache:
        yield SentenceCache(_cache_folder(options))
        return
    with tempfile.TemporaryDirectory(prefix="article-audio-cache-") as folder:
        yield SentenceCache(Path(folder))


@contextmanager
def _executor(
    profile: VoiceProfile, options: RenderOptions, given: Executor | None
) -> Iterator[Executor]:
    if given is not None:
        yield given
        return
    with local_executor(profile, options.jobs or default_jobs()) as made:
        yield made


def _produce(
    script: NarrationScript,
    profile: VoiceProfile,
    destination: Path,
    settings: AudioSettings,
    cache: SentenceCache,
    executor: Executor | None,
    options: RenderOptions,
    progress: ProgressCallback | None,
) -> Production:
    """Reuse an identical earlier render, or produce the file and keep it for next time."""
    tags = tags_for(script)
    keys = sentence_keys(script, profile)
    key = render_key(script, keys, profile, settings, tags)
    started = time.perf_counter()
    if options.use_cache and (reused := reuse(key, cache, destination)) is not None:
        return replace(reused, timings={"reuse": time.perf_counter() - started})
    with _executor(profile, options, executor) as pool:
        made = produce(script, profile, destination, settings, tags, cache, pool, progress, keys)
    if options.use_cache:
        keep(key, cache, destination, made)
    return made


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
