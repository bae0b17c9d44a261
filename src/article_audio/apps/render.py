"""The whole pipeline, stage by stage: the functions the CLI and other tools call.

read → clean → structure → split sentences → normalize → lexicon → narration script
→ synthesize → assemble → export. Each stage is its own module; this one only wires them and
times them.
"""

from __future__ import annotations

import contextlib
import functools
import os
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
from article_audio.audio.jobs import ProgressCallback, load_in_background, local_executor
from article_audio.audio.loudness import Measurement
from article_audio.audio.produce import Production, keep, produce, reuse
from article_audio.audio.tags import Tags, iso_date
from article_audio.config import MAX_WORDS, RenderOptions, ScriptOptions, default_jobs
from article_audio.context import Runtime, open_runtime
from article_audio.engines import (
    create_engine,
    engine_status,
    first_utterance_chars,
    phoneme_inventory,
    phoneme_mode,
)
from article_audio.errors import InputError
from article_audio.outputs.sidecars import check_sidecars, write_sidecars
from article_audio.script import NarrationScript
from article_audio.store.cache import SentenceCache
from article_audio.store.keys import render_key, script_key, sentence_keys
from article_audio.text.article import Article
from article_audio.text.clean import clean, load_debris
from article_audio.text.extract import extract_article
from article_audio.text.lexicon import Lexicon, load_lexicons
from article_audio.text.narration import build_script, speak
from article_audio.text.read import Source, check_word_limit, read_source
from article_audio.util import atomic_path, slugify
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
    #: The cues' word times are estimates (the voice gave none).
    words_estimated: bool = False


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
) -> NarrationScript:
    """The narration script for the article at ``path``: what would be spoken, without audio.

    With ``cache``, a script made before from the same cleaned article, voice, lexicon and
    code is read back instead of made again (splitting and normalizing every sentence is most
    of the time of re-rendering an unchanged article).
    """
    script, _ = _script_and_voice(path, options, cache, _Stopwatch())
    return script


def _script_and_voice(
    path: str | Path | Source,
    options: ScriptOptions,
    cache: SentenceCache | None,
    watch: _Stopwatch,
    building: Callable[[VoiceProfile], object] | None = None,
) -> tuple[NarrationScript, VoiceProfile]:
    """The narration script and the voice profile it was made for (loaded once, here).
    ``building`` is called with the profile when the script is about to be built rather than
    read back from ``cache``."""
    with watch.stage("read+clean"):
        article = load_article(path, options.input_format, options.debris, options.max_words)
    with watch.stage("lexicon load"):
        profile = load_profile(options.voice)
        lexicon = profile_lexicon(profile, options.lexicons)
    with watch.stage("script"):
        key = None
        window = first_utterance_chars(profile) if options.quick_start else None
        if cache is not None:
            key = script_key(article, profile, lexicon, options.max_sentence_chars, window)
            if (known := cache.get_document(key)) is not None:
                with contextlib.suppress(KeyError, TypeError, ValueError):
                    return NarrationScript.from_dict(known, source=article.source), profile
        if building is not None:
            building(profile)
        script = build_script(
            article,
            profile,
            lexicon,
            options.max_sentence_chars,
            phoneme_mode=phoneme_mode(profile),
            first_utterance_chars=window,
        )
        if cache is not None and key is not None:
            cache.put_document(key, script.to_dict())
        return script, profile


def default_output(path: str | Path | Source, title: str) -> Path:
    """``article.txt`` → ``article.mp3``; stdin or a fetched page → a name made from the title
    (:func:`~article_audio.util.slugify`: "Été à Montréal" → ``ete-a-montreal.mp3``)."""
    if not isinstance(path, Source) and str(path) != "-":
        return Path(Path(path).name).with_suffix(".mp3")
    return Path(f"{slugify(title)}.mp3")


def is_book(output: str | Path | None, audio_format: str) -> bool:
    """Whether a render to ``output`` in ``audio_format`` makes an EPUB (``apps/book.py``)."""
    named = output is not None and Path(output).suffix.lower() == ".epub"
    return named or audio_format == "epub"


def check_output(output: Path) -> None:
    """Refuse an output that cannot be written, before any work is done; a missing folder is
    created (as ``batch`` and ``feed`` create theirs)."""
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        if folder.exists():
            raise InputError(f"{output}: folder {folder} is not a folder")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise InputError(f"{output}: cannot create the folder {folder} ({reason})") from exc
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
    *,
    runtime: Runtime | None = None,
    live: Path | None = None,
) -> RenderResult:
    """Render the article at ``path`` to a chaptered MP3 (or M4B) with the sidecars
    ``options`` ask for, and return what was made.

    Sentences come from the cache when they are there; the rest are synthesized on
    ``executor`` (workers shared by a batch, a Dask cluster's executor…) or, without
    one, on ``options.jobs`` local workers (:func:`article_audio.audio.jobs.local_executor`). An
    unchanged article is copied from the cache. ``progress`` is told how many sentences are done.
    ``runtime``: the runtime context to run in (a batch shares one); without it one is opened
    from ``options``' cache settings (:func:`~article_audio.context.open_runtime`).
    ``live``: a file the audio is also encoded into while it is made, for a listener to read
    as it grows (the Listen service; not written when an unchanged render is reused).
    """
    if runtime is None:
        with open_runtime(options.cache_dir, options.use_cache) as opened:
            return render(path, output, options, progress, executor, runtime=opened, live=live)
    if is_book(output, options.audio_format):  # an EPUB: the audio rendered, then packed
        from article_audio.apps.book import render_book

        return render_book(path, output, options, progress, executor, runtime=runtime)
    watch = _Stopwatch()
    cache = SentenceCache(runtime.cache_root)  # the one cache of this render
    # a new script means sentences to synthesize: the voice loads while the script is built
    preload = None
    if executor is None:
        preload = functools.partial(load_in_background, model_dir=runtime.model_dir)
    remembered = cache if runtime.use_cache else None
    script, profile = _script_and_voice(path, options.script, remembered, watch, preload)
    destination = Path(output) if output is not None else default_output(path, script.title)
    if output is None:
        destination = destination.with_suffix(f".{options.audio_format}")
    job = _Job(script, profile, destination, cache, runtime, live)
    return _render_script(job, options, progress, executor, watch)


def render_script(
    script: NarrationScript,
    output: str | Path,
    options: RenderOptions = DEFAULT_RENDER_OPTIONS,
    progress: ProgressCallback | None = None,
    executor: Executor | None = None,
    *,
    runtime: Runtime,
    live: Path | None = None,
) -> RenderResult:
    """Render a narration script already made (perhaps changed: the Listen service's speech
    endpoint drops the spoken title) with ``options.script.voice``, as :func:`render` does."""
    profile = load_profile(options.script.voice)
    cache = SentenceCache(runtime.cache_root)
    job = _Job(script, profile, Path(output), cache, runtime, live)
    return _render_script(job, options, progress, executor, _Stopwatch())


def _render_script(
    job: _Job,
    options: RenderOptions,
    progress: ProgressCallback | None,
    executor: Executor | None,
    watch: _Stopwatch,
) -> RenderResult:
    """The audio and sidecars of ``job``, made as ``options`` say."""
    script, profile, destination = job.script, job.profile, job.destination
    check_output(destination)
    settings = audio_settings(options, destination)  # reads the cover: bad input fails here
    check_sidecars(destination, options.sidecars)
    job.runtime.ffmpeg()  # a missing ffmpeg fails here, not after synthesis
    made = _produce(job, settings, executor, options.jobs, progress)
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
        words_estimated=made.layout.words_estimated,
    )


@dataclass(frozen=True)
class _Job:
    """One render's script, voice, file and settings, with the cache and runtime it uses."""

    script: NarrationScript
    profile: VoiceProfile
    destination: Path
    cache: SentenceCache
    runtime: Runtime
    live: Path | None = None


@contextmanager
def _executor(job: _Job, jobs: int | None, given: Executor | None) -> Iterator[Executor]:
    if given is not None:
        yield given
        return
    with local_executor(job.profile, jobs or default_jobs(), job.runtime.model_dir) as made:
        yield made


def _produce(
    job: _Job,
    settings: AudioSettings,
    executor: Executor | None,
    jobs: int | None,
    progress: ProgressCallback | None,
) -> Production:
    """Reuse an identical earlier render, or produce the file and keep it for next time."""
    tags = tags_for(job.script)
    keys = sentence_keys(job.script, job.profile)
    key = render_key(job.script, keys, job.profile, settings, tags)
    started = time.perf_counter()
    reusing = job.runtime.use_cache
    if reusing and (reused := reuse(key, job.cache, job.destination)) is not None:
        return replace(reused, timings={"reuse": time.perf_counter() - started})
    with _executor(job, jobs, executor) as pool:
        made = produce(
            job.script,
            job.profile,
            job.destination,
            settings,
            tags,
            job.cache,
            pool,
            progress,
            keys,
            job.runtime.model_dir,
            job.live,
        )
    if reusing:
        keep(key, job.cache, job.destination, made)
    return made


def say(
    text: str,
    output: str | Path,
    voice: str = ScriptOptions.voice,
    lexicons: tuple[str, ...] = (),
    *,
    runtime: Runtime | None = None,
) -> Path:
    """Speak one word or sentence (normalized, lexicon applied) to a WAV file. The voice's
    model files are kept under ``runtime``'s cache root (without one, the default cache's)."""
    if not text.strip():
        raise InputError("nothing to say: the text is empty")
    if runtime is None:
        with open_runtime() as opened:
            return say(text, output, voice, lexicons, runtime=opened)
    destination = Path(output)
    check_output(destination)
    profile = load_profile(voice)
    spoken = speak(text, profile_lexicon(profile, lexicons), phoneme_mode(profile))
    engine = create_engine(profile, runtime.model_dir)
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


def voice_report(runtime: Runtime | None = None) -> list[tuple[VoiceProfile, bool, str]]:
    """Every shipped profile, whether it works on this machine, and why not. The voices'
    model files are kept under ``runtime``'s cache root (without one, the default cache's)."""
    if runtime is None:
        with open_runtime() as opened:
            return voice_report(opened)
    return [(profile, *engine_status(profile, runtime.model_dir)) for profile in list_profiles()]
