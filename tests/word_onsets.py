"""Word onsets by an independent recogniser: PocketSphinx's forced alignment (CMU, BSD licence;
its US English model ships in the wheel), for tests/test_word_timing.py and
benchmarks/word_timing.py.

Each sentence's spoken words are aligned to its audio (decoded at 16 kHz, as a player decodes
it); every written word said as one spoken word is compared: the onset the render gives it
against the onset PocketSphinx finds. Sentences with a word outside PocketSphinx's dictionary or
an inline IPA block are left out (the alignment needs every word).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from article_audio.apps.render import RenderResult
from article_audio.audio.segment import use_ffmpeg
from article_audio.audio.words import align, plain, written_tokens
from article_audio.engines.timing import spoken_words

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "cbc-coalition-paris.txt"
RATE = 16000
#: Audio taken on either side of a sentence for the alignment (ms).
MARGIN_MS = 150


@dataclass(frozen=True)
class Comparison:
    word: str
    ours_ms: int
    theirs_ms: int


def decode_16k(path: Path) -> np.ndarray:
    raw = subprocess.run(
        [use_ffmpeg(), "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-ar",
         str(RATE), "-"],
        capture_output=True,
        check=True,
    ).stdout  # fmt: skip
    return np.frombuffer(raw, dtype="<i2")


_FILLERS = ("<s>", "</s>", "<sil>")


def _decoder() -> Any:
    from pocketsphinx import Decoder

    return Decoder(samprate=RATE, loglevel="FATAL")


def aligned_onsets(
    decoder: Any, samples: np.ndarray, words: list[str], offset_ms: int
) -> list[int] | None:
    """PocketSphinx's onset (ms) of each of ``words`` in ``samples`` (which start at
    ``offset_ms``), by forced alignment; None if it cannot align them."""
    decoder.set_align_text(" ".join(words))
    decoder.start_utt()
    decoder.process_raw(samples.tobytes(), full_utt=True)
    decoder.end_utt()
    found = [(g.word, g.start_frame) for g in decoder.seg() if g.word not in _FILLERS]
    if [name.split("(")[0] for name, _ in found] != words:
        return None
    return [offset_ms + start * 10 for _, start in found]  # 100 frames a second


def compare(result: RenderResult, samples: np.ndarray) -> tuple[list[Comparison], int]:
    """Every comparable word of ``result`` and how many sentences were left out."""
    decoder = _decoder()
    compared: list[Comparison] = []
    skipped = 0
    for cue, sentence in zip(result.cues, result.script.sentences, strict=True):
        spoken = [sentence.spoken[s:e] for s, e in spoken_words(sentence.spoken)]
        words = [w.lower().strip("'’") for w in spoken]
        known = all(not w.startswith("[[") and decoder.lookup_word(w) is not None for w in words)
        if not words or not known:
            skipped += 1
            continue
        first = max(0, cue.start_ms - MARGIN_MS)
        piece = samples[first * RATE // 1000 : (cue.end_ms + MARGIN_MS) * RATE // 1000]
        onsets = aligned_onsets(decoder, piece, words, first)
        if onsets is None:
            skipped += 1
            continue
        tokens = written_tokens(sentence.text)
        owners = align(tokens, spoken)
        for index, token in enumerate(tokens):
            said = [k for k, owner in enumerate(owners) if owner == index]
            if len(said) == 1 and plain(token) == plain(spoken[said[0]]):
                compared.append(Comparison(token, cue.words[index].start_ms, onsets[said[0]]))
    return compared, skipped
