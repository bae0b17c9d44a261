"""The Kokoro engine: its phonemes (the lexicon's names at the token-id level), its model and
voices checked, its runs cut at clause boundaries; and a few short real syntheses (slow)."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from article_audio.engines import create_engine, phoneme_inventory, shares_threads
from article_audio.engines import voice_identity as identity_of
from article_audio.engines.kokoro import model
from article_audio.engines.kokoro.engine import MAX_RUN_TOKENS, model_runs
from article_audio.engines.kokoro.phonemes import Phonemizer, ipa_to_kokoro, token_ids
from article_audio.engines.onnx_runtime import saved_optimized
from article_audio.errors import VoiceError
from article_audio.store.cache import MODELS
from article_audio.text.lexicon import load_lexicon
from article_audio.text.lexicon.files import default_lexicon_path
from article_audio.text.narration import speak
from article_audio.voices import VoiceProfile, load_profile

US = Phonemizer(british=False)


def test_lexicon_ipa_becomes_kokoro_phonemes_for_either_accent() -> None:
    assert ipa_to_kokoro("kˈiːv") == "kˈiv"
    assert ipa_to_kokoro("mɑːkɹˈoʊn") == "mɑkɹˈOn"
    assert ipa_to_kokoro("zɛlˈɛnski") == "zɛlˈɛnski"
    assert ipa_to_kokoro("tʃˈɜːtʃɪl") == "ʧˈɜɹʧɪl"  # affricates one letter, no length (US)
    assert ipa_to_kokoro("mɑːkɹˈoʊn", british=True) == "mɑːkɹˈQn"
    assert ipa_to_kokoro("bˈæθ", british=True) == "bˈaθ"
    with pytest.raises(ValueError, match="no phoneme for 'ʕ'"):
        ipa_to_kokoro("ʕa")


def test_words_left_in_capitals_are_said_as_words_and_dotted_letters_as_letters() -> None:
    # Normalization spells out the acronyms read as letters ("F.B.I"); what it leaves in
    # capitals is a word, which hibari would otherwise spell out when it has no entry for it.
    assert US("ROSIE CURTS: TRAVIS was here.") == US("Rosie Curts: Travis was here.")
    assert US("ROSIE") == "ɹˈOsi"
    assert US("NASA's GREAT plan") == US("Nasa's Great plan")
    assert US("F.B.I") == "ˌɛfbˌiˈI"


def test_every_shipped_lexicon_entry_is_said_by_kokoro_as_written() -> None:
    lexicon = load_lexicon(default_lexicon_path())
    inventory = phoneme_inventory(load_profile("heart"))
    assert inventory is not None
    with_ipa = [entry for entry in lexicon if entry.ipa]
    assert len(lexicon.for_voice(inventory, "heart").restrict_ipa(inventory)) == len(lexicon)
    for entry in with_ipa:
        for british in (False, True):
            converted = ipa_to_kokoro(entry.ipa or "", british=british)
            assert len(token_ids(converted)) == len(converted), entry.grapheme


def test_zelenskyy_kyiv_and_macron_reach_the_model_as_the_lexicon_says() -> None:
    lexicon = load_lexicon(default_lexicon_path())
    spoken = speak("Zelenskyy met Macron in Kyiv, then left.", lexicon, "ipa")
    ids = token_ids(US(spoken))
    for name in ("Zelenskyy", "Macron", "Kyiv"):
        entry = lexicon.lookup(name)
        assert entry is not None and entry.ipa
        said = token_ids(ipa_to_kokoro(entry.ipa))
        assert any(ids[i : i + len(said)] == said for i in range(len(ids))), name
    # the G2P's own guesses are not what is said
    guessed = token_ids(US("Kyiv"))
    assert not any(ids[i : i + len(guessed)] == guessed for i in range(len(ids)))
    # the comma moved into the block by the lexicon is still a comma token after "Kyiv"
    kyiv = token_ids(ipa_to_kokoro("kˈiːv") + ",")
    assert any(ids[i : i + len(kyiv)] == kyiv for i in range(len(ids)))


def test_a_sentence_past_the_window_is_cut_at_its_strongest_clause_boundary() -> None:
    clause = "ðə mˈinɪstəɹz əɡɹˈid ɔn tˈuzdA ðæt ðə kˌOəlˈɪʃən wʊd stˈAʃən tɹˈups"
    phonemes = f"{clause}, {clause}; {clause}, {clause}."
    assert model_runs(phonemes) == [phonemes]  # it fits: one run, whatever its clauses
    runs = model_runs(phonemes, 150)
    assert runs == [f"{clause}, {clause};", f"{clause}, {clause}."]
    assert all(len(token_ids(run)) <= 150 for run in runs)
    long = ", ".join([clause] * 12) + "."
    assert len(long) > MAX_RUN_TOKENS
    cut = model_runs(long)
    assert len(cut) == 2 and all(run.endswith((",", ".")) for run in cut)
    assert " ".join(cut) == long


def test_the_model_is_checked_against_its_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model, "_part", lambda package: b"not the model")
    with pytest.raises(VoiceError, match=r"not the expected one.*force-reinstall"):
        model.model_bytes()


def test_voices_are_package_data_or_a_checked_file(tmp_path: Path) -> None:
    heart, michael = load_profile("heart"), load_profile("michael")
    assert shares_threads(heart)
    assert identity_of(heart)["voice-vector"] != identity_of(michael)["voice-vector"]
    assert identity_of(heart)["model"].startswith(model.MODEL_SHA256[:16])
    unknown = VoiceProfile(name="x", engine="kokoro", voice="af_nobody")
    with pytest.raises(VoiceError, match="unknown kokoro voice 'af_nobody'"):
        identity_of(unknown)
    short = tmp_path / "short.bin"
    short.write_bytes(b"\0" * 1024)
    profile = VoiceProfile(name="x", engine="kokoro", voice=str(short))
    with pytest.raises(VoiceError, match="expected 522240"):
        create_engine(profile, tmp_path / "models")


# --------------------------------------------------------------------------- real Kokoro


@pytest.mark.slow
def test_a_sentence_is_spoken_with_each_phoneme_timed(heart) -> None:  # type: ignore[no-untyped-def]
    text = "Macron met [[ zɛlˈɛnski ]] in Paris."
    audio = heart.synthesize(text)
    assert audio.frame_rate == 22050 and audio.sample_width == 2
    assert 1.0 < len(audio) / 1000 < 5.0 and audio.max_dBFS > -20
    timed = heart._phoneme_durations(text)
    assert [symbol for symbol, _ in timed] == ["", *heart.runs(text)[0], ""]
    assert sum(samples for _, samples in timed) == len(audio.get_array_of_samples())
    assert audio.raw_data == heart.synthesize(text).raw_data  # the same every time


@pytest.mark.slow
def test_threads_sharing_the_session_give_the_same_samples(heart) -> None:  # type: ignore[no-untyped-def]
    texts = ["One short line.", "And another one."]
    alone = [heart.synthesize(text).raw_data for text in texts]
    together: dict[int, bytes] = {}

    def speak_one(i: int) -> None:
        together[i] = heart.synthesize(texts[i]).raw_data

    threads = [threading.Thread(target=speak_one, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [together[0], together[1]] == alone


@pytest.mark.slow
def test_runs_cut_at_a_comma_join_without_a_gap(heart) -> None:  # type: ignore[no-untyped-def]
    text = "The ministers met in Paris on Tuesday, and they agreed on a plan."
    whole = heart.synthesize(text)
    heart.window = 40
    try:
        assert len(heart.runs(text)) == 2
        joined = heart.synthesize(text)
        timed = heart._phoneme_durations(text)
    finally:
        heart.window = MAX_RUN_TOKENS
    samples = np.array(joined.get_array_of_samples(), dtype=float) / 32768
    assert sum(n for _, n in timed) == len(samples)
    # inside the speech, no stretch of silence longer than a comma's pause
    window = 220  # 10 ms
    rms = np.sqrt((samples[: len(samples) // window * window].reshape(-1, window) ** 2).mean(1))
    loud = np.flatnonzero(rms > 10 ** (-45 / 20))
    quiet = np.diff(loud).max() * 10  # ms between loud windows
    assert quiet < 350, quiet
    assert abs(len(joined) - len(whole)) < 0.25 * len(whole)


@pytest.mark.slow
def test_the_one_arena_gives_the_samples_of_a_session_of_its_own(  # type: ignore[no-untyped-def]
    heart, _private_cache: Path, tmp_path: Path
) -> None:
    """The engine's session takes its tensors from the process's one arena
    (:func:`~article_audio.engines.onnx_runtime.use_one_arena`) and copies its outputs out of
    it; onnxruntime's default arena gives the very same samples, and so does a session loaded
    from the graph optimizations the engine's load saved beside the model."""
    import onnxruntime

    run = heart.runs("One short line, said twice.")[0]
    audio, durations = heart._run(run)
    for array in (audio, durations):  # numpy's own memory, not onnxruntime's
        owner = array if array.base is None else array.base
        assert isinstance(owner, np.ndarray) and owner.flags.owndata
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    own = onnxruntime.InferenceSession(
        model.model_source(tmp_path), options, providers=["CPUExecutionProvider"]
    )
    ids = token_ids(run)
    feed = {
        "tokens": np.array([[0, *ids, 0]], dtype=np.int64),
        "style": heart._styles[len(ids)],
        "speed": np.array([1.0], dtype=np.float32),
    }
    expected = own.run(["audio", model.DURATIONS_OUTPUT], feed)
    assert np.array_equal(audio, expected[0].reshape(-1))
    assert np.array_equal(durations, expected[1].reshape(-1))
    cached = model.model_source(_private_cache / MODELS)
    assert isinstance(cached, str) and saved_optimized(Path(cached))[0].is_file()
    again = model.session(cached, 1).run(["audio", model.DURATIONS_OUTPUT], feed)
    assert np.array_equal(audio, again[0].reshape(-1))
    assert np.array_equal(durations, again[1].reshape(-1))


def test_kokoro_sessions_share_one_arena() -> None:
    import onnxruntime

    from article_audio.engines.onnx_runtime import use_one_arena

    options = onnxruntime.SessionOptions()
    use_one_arena(onnxruntime, options)
    assert options.get_session_config_entry("session.use_env_allocators") == "1"
