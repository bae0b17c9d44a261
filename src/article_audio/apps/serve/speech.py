"""The OpenAI-compatible speech endpoint's work: text in, audio streamed out as it is made.

The text is narrated like an article without its spoken title (the script's intro chapter is
left out; its first sentence is then cut for a quick first utterance, as a title is), rendered
by :func:`~article_audio.apps.render.render_script` on the service's synthesis workers into a
folder of its own, and streamed from the render's live copy. The folder
is removed once both the render and the response are over. ``speed`` scales the voice's rate
and its pauses (a profile of its own per speed, written once in the data folder).
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import threading
import uuid
from pathlib import Path

from article_audio.apps.render import make_script, profile_lexicon, render_script
from article_audio.apps.serve.requests import SpeechRequest
from article_audio.apps.serve.service import LOG, Service
from article_audio.config import RenderOptions, ScriptOptions
from article_audio.engines import first_utterance_chars, phoneme_mode
from article_audio.errors import ArticleAudioError, InputError
from article_audio.script import NarrationScript
from article_audio.text.narration import cut_first_sentence
from article_audio.text.read import Source
from article_audio.voices import VoiceProfile, load_profile


class SpeechJob:
    """One speech request's render, on a thread of its own."""

    def __init__(self, folder: Path, response_format: str) -> None:
        self.folder = folder
        self.output = folder / f"speech.{response_format}"
        self.live = folder / f"live.{response_format}"
        self._lock = threading.Lock()
        self._over = False
        self._released = False
        self.error: str | None = None

    def writing(self) -> bool:
        return True

    def pending(self) -> bool:
        with self._lock:
            return not self._over

    def ended(self) -> None:
        """The render is over: the folder goes if the response is over too."""
        self._over_with(render=True)

    def release(self) -> None:
        """The response is over: the folder goes if the render is over too."""
        self._over_with(render=False)

    def _over_with(self, *, render: bool) -> None:
        with self._lock:
            if render:
                self._over = True
            else:
                self._released = True
            gone = self._over and self._released
        if gone:
            shutil.rmtree(self.folder, ignore_errors=True)


def start_speech(service: Service, request: SpeechRequest) -> SpeechJob:
    """Make the script (bad input is an :class:`InputError` here, before any audio) and start
    rendering it; the returned job's live file grows as the audio is made."""
    voice = paced_voice(service, request.voice, request.speed)
    options = RenderOptions(
        script=ScriptOptions(voice=voice, max_words=service.options.max_words),
        audio_format=request.response_format,
        bitrate_kbps=service.options.bitrate_kbps,
        jobs=service.options.jobs,
    )
    script = make_script(Source(request.text, "text", ""), options.script)
    script = dataclasses.replace(script, chapters=script.chapters[1:])  # no spoken title
    if not script.sentences:
        raise InputError("'input' has nothing to say")
    script = first_utterance(script, voice)
    folder = service.options.data_dir / "speech" / uuid.uuid4().hex
    folder.mkdir(parents=True)
    job = SpeechJob(folder, request.response_format)

    def run() -> None:
        try:
            render_script(
                script,
                job.output,
                options,
                executor=service.executor,
                runtime=service.runtime,
                live=job.live,
            )
        except ArticleAudioError as exc:
            job.error = str(exc)
        except Exception:  # a bug must not go unseen: logged, and the stream ends
            LOG.exception("speech failed")
        finally:
            job.ended()

    threading.Thread(target=run, name="article-audio-speech", daemon=True).start()
    return job


def first_utterance(script: NarrationScript, voice: str) -> NarrationScript:
    """``script``, whose title was left out, with its new first sentence cut for a quick first
    utterance as the title is in an article's narration
    (:func:`~article_audio.text.narration.cut_first_sentence`)."""
    profile = load_profile(voice)
    window = first_utterance_chars(profile)
    if window is None:
        return script
    return cut_first_sentence(script, window, profile_lexicon(profile), phoneme_mode(profile))


def paced_voice(service: Service, voice: str, speed: float) -> str:
    """``voice``, or at another ``speed`` (to 0.05) a profile file of its own: the rate
    scaled, the pauses and the words per minute with it."""
    step = round(speed * 20) / 20
    if step == 1.0:
        return voice
    profile = load_profile(voice)
    path = service.options.data_dir / "voices" / f"{profile.name}-x{step:.2f}.toml"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_profile_toml(profile, step), encoding="utf-8")
    return str(path)


def _profile_toml(profile: VoiceProfile, speed: float) -> str:
    values: dict[str, object] = {
        "description": f"{profile.description} at {speed:g}x",
        "engine": profile.engine,
        "voice": profile.voice,
        "language": profile.language,
        "rate": round(profile.rate * speed, 4),
        "words_per_minute": round(profile.words_per_minute * speed),
        "sentence_pause_ms": round(profile.sentence_pause_ms / speed),
        "paragraph_pause_ms": round(profile.paragraph_pause_ms / speed),
        "chapter_pause_ms": round(profile.chapter_pause_ms / speed),
        "lexicons": list(profile.lexicons),
    }
    return "".join(
        f"{key} = {json.dumps(value, ensure_ascii=False)}\n" for key, value in values.items()
    )
