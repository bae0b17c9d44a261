"""Kokoro's runs in flight: the token budget that bounds their memory, and the session's thread
pool they share (a run alone takes both threads, samples as on one)."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from article_audio.engines.kokoro import engine as kokoro
from article_audio.engines.kokoro.engine import IN_FLIGHT_TOKENS, MAX_RUN_TOKENS, _TokenBudget

#: Long enough for a thread that would be let in to get there; short enough to keep this fast.
SETTLE = 0.2


def _enter(budget: _TokenBudget, tokens: int, inside: threading.Event, leave: threading.Event):  # type: ignore[no-untyped-def]
    def run() -> None:
        with budget.hold(tokens):
            inside.set()
            leave.wait(5)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_runs_that_fit_the_budget_together_run_at_once() -> None:
    budget = _TokenBudget(400)
    first_in, second_in, leave = threading.Event(), threading.Event(), threading.Event()
    threads = [_enter(budget, 220, first_in, leave)]
    assert first_in.wait(5)
    threads.append(_enter(budget, 180, second_in, leave))  # 220 + 180 = 400: fits
    assert second_in.wait(5)
    leave.set()
    for thread in threads:
        thread.join(5)


def test_a_run_that_would_pass_the_budget_waits_and_a_run_alone_always_goes() -> None:
    budget = _TokenBudget(400)
    first_in, second_in, leave_first = threading.Event(), threading.Event(), threading.Event()
    first = _enter(budget, 451, first_in, leave_first)  # past the budget, but alone: goes
    assert first_in.wait(5)
    leave_second = threading.Event()
    second = _enter(budget, 10, second_in, leave_second)  # 451 + 10 > 400: waits
    assert not second_in.wait(SETTLE)
    leave_first.set()
    assert second_in.wait(5)  # the first one left: it goes
    leave_second.set()
    for thread in (first, second):
        thread.join(5)


def test_the_budget_lets_two_runs_of_typical_length_overlap_within_one_window() -> None:
    """Two runs of the example's median length and more (135 to 175 tokens) overlap, and runs
    together hold fewer tokens than one run may (the window)."""
    assert 2 * 175 <= IN_FLIGHT_TOKENS < MAX_RUN_TOKENS


@pytest.mark.slow
def test_the_session_shares_two_threads_that_sleep_when_idle(heart) -> None:  # type: ignore[no-untyped-def]
    options = heart._session.get_session_options()
    assert options.intra_op_num_threads == kokoro.SESSION_THREADS == 2
    assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"


@pytest.mark.slow
def test_a_run_alone_and_two_at_once_give_one_threads_samples(heart, _private_cache) -> None:  # type: ignore[no-untyped-def]
    """The same samples from the engine's two-thread session, a run alone or two at once,
    as from a session of one thread."""
    import onnxruntime

    from article_audio.engines.kokoro import model
    from article_audio.engines.kokoro.phonemes import token_ids
    from article_audio.store.cache import MODELS

    texts = ["The ministers met in Paris on Tuesday.", "They agreed on a plan, at last."]
    runs = [heart.runs(text)[0] for text in texts]
    alone = [heart._run(run)[0] for run in runs]
    together: dict[int, np.ndarray] = {}

    def speak(i: int) -> None:
        together[i] = heart._run(runs[i])[0]

    threads = [threading.Thread(target=speak, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    one = onnxruntime.InferenceSession(
        model.model_source(_private_cache / MODELS), options, providers=["CPUExecutionProvider"]
    )
    for i, run in enumerate(runs):
        ids = token_ids(run)
        feed = {
            "tokens": np.array([[0, *ids, 0]], dtype=np.int64),
            "style": heart._styles[len(ids)],
            "speed": np.array([1.0], dtype=np.float32),
        }
        expected = one.run(["audio"], feed)[0].reshape(-1)
        assert np.array_equal(alone[i], expected)
        assert np.array_equal(together[i], expected)
