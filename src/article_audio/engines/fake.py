"""A fake engine for fast pipeline tests: a very quiet steady tone as long as the text's words.

The tone sits at about -36 dBFS peak: far below speech, but above the synthesize stage's
silence floor and the assembler's trim threshold, so the pipeline treats it like speech and
keeps its length exactly. Output is a pure function of (text, profile). It has no word times
of its own: :func:`article_audio.engines.synthesize_timed` estimates them (flagged estimated),
as it does for every engine without them.
"""

from __future__ import annotations

import math
from array import array
from typing import TYPE_CHECKING

from article_audio.audio.segment import AudioSegment
from article_audio.engines import expected_duration_ms
from article_audio.errors import EngineError
from article_audio.voices import PhonemeMode

if TYPE_CHECKING:
    from article_audio.voices import VoiceProfile

SAMPLE_RATE = 22050
#: Any non-empty text lasts at least this long.
MIN_DURATION_MS = 200
#: 22050 / 225 = 98 samples: a whole number of samples per period, so the tone tiles exactly.
TONE_HZ = 225
TONE_AMPLITUDE = 520  # about -36 dBFS peak, -39 dBFS RMS


def _tone_period() -> bytes:
    samples = SAMPLE_RATE // TONE_HZ
    wave = array(
        "h", (round(TONE_AMPLITUDE * math.sin(2 * math.pi * i / samples)) for i in range(samples))
    )
    return wave.tobytes()


_PERIOD = _tone_period()


def tone(duration_ms: float) -> AudioSegment:
    """The fake voice's tone: mono, 16-bit, 22050 Hz, ``duration_ms`` long (to the sample)."""
    frames = round(duration_ms * SAMPLE_RATE / 1000)
    repeats = -(-frames // (len(_PERIOD) // 2))
    data = (_PERIOD * repeats)[: frames * 2]
    return AudioSegment(data=data, sample_width=2, frame_rate=SAMPLE_RATE, channels=1)


def identity(profile: VoiceProfile) -> dict[str, str]:
    """The fake voice's sound depends only on its tone and the profile's pace."""
    return {
        "fake": f"{TONE_HZ}Hz:{TONE_AMPLITUDE}:{SAMPLE_RATE}:{MIN_DURATION_MS}",
        "words_per_minute": str(profile.words_per_minute),
    }


class FakeEngine:
    """Speaks every text as a quiet tone lasting as long as its words would at the profile's pace.

    ``calls`` records each text given to :meth:`synthesize`, in order, so tests can check
    exactly what reached the engine. Without a profile it paces like the default (165 wpm).
    """

    name = "fake"

    def __init__(
        self, profile: VoiceProfile | None = None, *, phoneme_mode: PhonemeMode = "ipa"
    ) -> None:
        if profile is None:
            from article_audio.voices import VoiceProfile

            profile = VoiceProfile(name="fake", engine="fake", voice="silent")
        self.profile = profile
        self.phoneme_mode: PhonemeMode = phoneme_mode
        self.calls: list[str] = []
        self.closed = False
        self.description = "ready (silent test engine)"

    def duration_ms(self, text: str) -> float:
        """How long the audio for ``text`` is."""
        return max(float(MIN_DURATION_MS), expected_duration_ms(text, self.profile))

    def synthesize(self, text: str) -> AudioSegment:
        """A tone as long as ``text``; blank text is an :class:`EngineError`, like real engines."""
        if self.closed:
            raise EngineError("the fake engine is closed")
        self.calls.append(text)
        if not text.strip():
            raise EngineError("nothing to synthesize: the text is empty")
        return tone(self.duration_ms(text))

    def close(self) -> None:
        """Mark the engine closed; further synthesis raises :class:`EngineError`."""
        self.closed = True
