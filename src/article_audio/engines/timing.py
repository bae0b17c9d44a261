"""Word times: when each word of a spoken string is heard in the audio an engine made of it.

An engine that knows (Piper: its duration predictor gives every phoneme a length in samples)
implements :class:`~article_audio.engines.base.TimedEngine`; for any other,
:func:`synthesize_timed` estimates the times within the audio's measured bounds and says so
(:attr:`TimedAudio.estimated`).

The words of a spoken string are its whitespace-separated tokens that hold a letter or digit
(edge punctuation is not part of a word), and each inline ``[[ ... ]]`` IPA block is one word
(:func:`spoken_words`). Times are sample positions in the audio returned with them, at its own
rate.

Phonemes become words by :func:`phoneme_word_times`: the engine's phoneme sequence (as spoken,
with durations) is matched against each word's own phonemes, so words the phonemizer runs
together (espeak says "in the" as one word, ``ɪnðə``) still get their own times.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

from article_audio.audio.segment import AudioSegment

__all__ = [
    "TIMING_VERSION",
    "TimedAudio",
    "WordTime",
    "estimate_word_times",
    "phoneme_word_times",
    "spoken_words",
    "word_times_from_phonemes",
]

#: Bump when the word times made of the same audio change (they are kept in the sentence cache).
TIMING_VERSION = 1
#: A word of a spoken string: an inline IPA block, or a run of non-space characters.
_TOKEN = re.compile(r"\[\[.*?\]\]|(?:(?!\[\[)\S)+")
#: IPA stress marks: they take a phoneme slot in Piper's models but belong to the next sound.
STRESS_MARKS = frozenset("ˈˌ")
#: Symbols whose time belongs to the sound after them: stress marks, and the word space (the
#: voice moves into the next word there; measured against PocketSphinx, word onsets taken at
#: the first sound came 50 ms late).
_LEADS_IN = STRESS_MARKS | {" "}
#: Sequence markers of Piper's phoneme ids (begin, end, pad), the word separator, and ``""``
#: (an engine's own name for a pad: Kokoro's leading and trailing silence).
_MARKERS = frozenset({"^", "$", "_", " ", ""})


@dataclass(frozen=True)
class WordTime:
    """One word of a spoken string (``text[start_char:end_char]``) and where it is heard:
    samples ``start`` to ``end`` of the audio it was returned with."""

    start_char: int
    end_char: int
    start: int
    end: int

    def scaled(self, factor: float) -> WordTime:
        """The same word with its sample positions scaled (audio resampled by ``factor``)."""
        return WordTime(
            self.start_char, self.end_char, round(self.start * factor), round(self.end * factor)
        )

    def earlier(self, samples: int) -> WordTime:
        """The same word heard ``samples`` earlier, never before the audio's start."""
        return WordTime(
            self.start_char, self.end_char, max(0, self.start - samples), max(0, self.end - samples)
        )


@dataclass(frozen=True)
class TimedAudio:
    """A sentence's audio and its words' times; ``estimated``: the times are an estimate from
    the text and the audio's measured bounds, not the voice's own."""

    audio: AudioSegment
    words: tuple[WordTime, ...]
    estimated: bool

    def resampled(self, audio: AudioSegment) -> TimedAudio:
        """The same words timed in ``audio``: this audio converted to another sample rate."""
        if audio.frame_rate == self.audio.frame_rate:
            return TimedAudio(audio, self.words, self.estimated)
        factor = audio.frame_rate / self.audio.frame_rate
        return TimedAudio(audio, tuple(w.scaled(factor) for w in self.words), self.estimated)


def spoken_words(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` character span of every word of ``text``: an inline ``[[ ... ]]``
    block whole, otherwise a whitespace-separated token less its edge punctuation; tokens with
    no letter or digit are not words."""
    spans: list[tuple[int, int]] = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token.startswith("[["):
            spans.append(match.span())
            continue
        inner = [i for i, char in enumerate(token) if char.isalnum()]
        if inner:
            spans.append((match.start() + inner[0], match.start() + inner[-1] + 1))
    return spans


def is_sound(symbol: str) -> bool:
    """Whether a phoneme symbol is a sound (not a stress mark, marker, space or punctuation)."""
    if symbol in STRESS_MARKS or symbol in _MARKERS:
        return False
    return not unicodedata.category(symbol).startswith(("P", "Z"))


def _sound_spans(
    phonemes: Sequence[str], samples: Sequence[int]
) -> tuple[list[str], list[int], list[int]]:
    """The sounds of a phoneme sequence with their sample spans; the time of a stress mark or
    word space goes to the sound after it."""
    sounds: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    pending: int | None = None
    for symbol, count in zip(phonemes, samples, strict=True):
        if symbol in _LEADS_IN:
            pending = position if pending is None else pending
        elif is_sound(symbol):
            sounds.append(symbol)
            starts.append(position if pending is None else pending)
            ends.append(position + int(count))
            pending = None
        else:
            pending = None
        position += int(count)
    return sounds, starts, ends


def _owners(spoken: list[str], words: list[str], word_of: list[int]) -> list[int]:
    """The word (index) each sound of ``spoken`` belongs to, matching it against ``words``, the
    words' own sounds in order (``word_of[k]``: the word of ``words[k]``). Unmatched stretches
    are shared out in proportion; extra sounds go with the word before them."""
    owner = [0] * len(spoken)
    matcher = SequenceMatcher(None, spoken, words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for offset in range(i2 - i1):
            if tag == "equal":
                owner[i1 + offset] = word_of[j1 + offset]
            elif tag == "replace":
                owner[i1 + offset] = word_of[j1 + offset * (j2 - j1) // (i2 - i1)]
            else:  # sounds the words' own phonemes lack
                owner[i1 + offset] = word_of[j1 - 1] if j1 else word_of[0]
    return owner


def phoneme_word_times(
    phonemes: Sequence[str], samples: Sequence[int], word_phonemes: Sequence[Sequence[str]]
) -> list[tuple[int, int]]:
    """When each word is heard: ``phonemes`` as the engine spoke them, ``samples[i]`` the length
    of ``phonemes[i]`` (markers, spaces and punctuation included), and ``word_phonemes`` each
    word's own phonemes. Returns a ``(start, end)`` sample span per word: from its first sound
    (with the word space and stress mark before it) to the end of its last, pauses after
    punctuation left out.
    A word none of whose sounds were found gets an empty span where it would be."""
    sounds, starts, ends = _sound_spans(phonemes, samples)
    wanted = [[p for p in word if is_sound(p)] for word in word_phonemes]
    flat = [p for word in wanted for p in word]
    word_of = [index for index, word in enumerate(wanted) for _ in word]
    spans: list[tuple[int, int] | None] = [None] * len(word_phonemes)
    if sounds and flat:
        for sound, word in enumerate(_owners(sounds, flat, word_of)):
            found = spans[word]
            first = starts[sound] if found is None else found[0]
            spans[word] = (first, ends[sound])
    return _fill_gaps(spans, sum(int(s) for s in samples))


def _fill_gaps(spans: Sequence[tuple[int, int] | None], total: int) -> list[tuple[int, int]]:
    """``spans`` with every missing one an empty span at the end of the word before it."""
    filled: list[tuple[int, int]] = []
    for span in spans:
        if span is None:
            at = filled[-1][1] if filled else next((s[0] for s in spans if s), total)
            span = (at, at)
        filled.append(span)
    return filled


def word_times_from_phonemes(
    text: str,
    phonemes: Sequence[str],
    samples: Sequence[int],
    phonemize: Callable[[str], Sequence[str]],
    *,
    blocks_phonemized: bool = False,
) -> tuple[WordTime, ...]:
    """The :class:`WordTime` of every word of ``text`` (:func:`spoken_words`) from what an
    engine spoke: ``phonemes`` with ``samples`` each, as for :func:`phoneme_word_times`.
    ``phonemize(word)`` gives one word's phonemes; an inline IPA block's are its own IPA, or
    ``phonemize("[[ ... ]]")`` if ``blocks_phonemized`` (an engine that converts the IPA to
    its own phoneme set, as Kokoro does)."""
    spans = spoken_words(text)
    own = [
        list(text[s + 2 : e - 2].strip())
        if text.startswith("[[", s) and not blocks_phonemized
        else phonemize(text[s:e])
        for s, e in spans
    ]
    times = phoneme_word_times(phonemes, samples, own)
    return tuple(
        WordTime(s, e, start, end) for (s, e), (start, end) in zip(spans, times, strict=True)
    )


#: Measured bounds: the level (RMS of 10 ms windows, dBFS) above which audio counts as sound.
SOUND_DBFS = -45.0
_VOWELS = re.compile(r"[aeiouyàâäéèêëîïôöùûüæœ]+|[ɑɐɒæəɘɚɛɜɝɞɪɨʊʉʌɔoøɤuiyeaɯ]+", re.IGNORECASE)


def _sound_bounds(audio: AudioSegment) -> tuple[int, int]:
    """The first and last-plus-one sample of ``audio`` (mono, 16-bit) above :data:`SOUND_DBFS`
    in 10 ms windows; the whole audio if none is."""
    samples = np.frombuffer(audio.raw_data, dtype="<i2").astype(np.float64) / 32768.0
    window = max(1, audio.frame_rate // 100)
    count = len(samples) // window
    if count == 0:
        return 0, len(samples)
    rms = np.sqrt(np.square(samples[: count * window]).reshape(count, window).mean(axis=1))
    loud = np.flatnonzero(rms > 10 ** (SOUND_DBFS / 20))
    if not loud.size:
        return 0, len(samples)
    return int(loud[0]) * window, min(len(samples), (int(loud[-1]) + 1) * window)


def _pause_after(text: str, end: int) -> float:
    """The pause a reader makes after the word ending at ``end``, in syllables."""
    following = text[end : end + 3].lstrip("\"'”’)]")
    if following[:1] in (".", "!", "?"):
        return 2.0
    if following[:1] in (",", ";", ":", "—", "–"):
        return 1.2
    return 0.0


def estimate_word_times(text: str, audio: AudioSegment) -> tuple[WordTime, ...]:
    """Word times of ``text`` in ``audio`` without the voice's help: the words spread over the
    audio's measured sound (:data:`SOUND_DBFS`) in proportion to their syllables (vowel
    groups, at least one), with a pause after commas and sentence ends."""
    spans = spoken_words(text)
    if not spans:
        return ()
    first, last = _sound_bounds(audio.set_channels(1).set_sample_width(2))
    weights = [max(1, len(_VOWELS.findall(text[s:e]))) for s, e in spans]
    pauses = [_pause_after(text, e) for _, e in spans]
    pauses[-1] = 0.0
    scale = (last - first) / (sum(weights) + sum(pauses))
    times: list[WordTime] = []
    position = float(first)
    for (s, e), weight, pause in zip(spans, weights, pauses, strict=True):
        end = position + weight * scale
        times.append(WordTime(s, e, round(position), round(end)))
        position = end + pause * scale
    return tuple(times)
