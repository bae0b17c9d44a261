"""Timed text documents from cues and chapter marks: WebVTT, SubRip, Podcasting 2.0 JSON."""

from __future__ import annotations

import json

import pytest

from article_audio.audio.assemble import ChapterMark, Cue
from article_audio.outputs.transcript import (
    chapters_json,
    srt,
    srt_timestamp,
    transcript_json,
    vtt_timestamp,
    webvtt,
)

CUES = (
    Cue("Allies meet in Paris.", 400, 2150),
    Cue('"Why?" she asked, <b>& left</b>.', 2450, 3723004),
)
CHAPTERS = (ChapterMark("Introduction", 0, 2300), ChapterMark("Security\nguarantees", 2300, 9000))


@pytest.mark.parametrize(
    ("ms", "vtt", "srt_text"),
    [
        (0, "00:00:00.000", "00:00:00,000"),
        (999, "00:00:00.999", "00:00:00,999"),
        (61_001, "00:01:01.001", "00:01:01,001"),
        (3_723_004, "01:02:03.004", "01:02:03,004"),
        (36_000_000, "10:00:00.000", "10:00:00,000"),
    ],
)
def test_timestamps(ms: int, vtt: str, srt_text: str) -> None:
    assert vtt_timestamp(ms) == vtt
    assert srt_timestamp(ms) == srt_text


def test_negative_time_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        vtt_timestamp(-1)


def test_webvtt_has_a_header_and_escapes_markup() -> None:
    assert webvtt(CUES) == (
        "WEBVTT\n\n"
        "00:00:00.400 --> 00:00:02.150\nAllies meet in Paris.\n\n"
        '00:00:02.450 --> 01:02:03.004\n"Why?" she asked, &lt;b&gt;&amp; left&lt;/b&gt;.\n'
    )


def test_srt_numbers_cues_from_one() -> None:
    assert srt(CUES) == (
        "1\n00:00:00,400 --> 00:00:02,150\nAllies meet in Paris.\n\n"
        '2\n00:00:02,450 --> 01:02:03,004\n"Why?" she asked, <b>& left</b>.\n'
    )


def test_a_line_break_in_a_cue_never_ends_it_early() -> None:
    text = webvtt([Cue("One\n\ntwo", 0, 10)])
    assert text.endswith("00:00:00.000 --> 00:00:00.010\nOne two\n")


def test_transcript_json_is_podcasting_2_0() -> None:
    document = json.loads(transcript_json(CUES))
    assert document == {
        "version": "1.0.0",
        "segments": [
            {"startTime": 0.4, "endTime": 2.15, "body": "Allies meet in Paris."},
            {"startTime": 2.45, "endTime": 3723.004, "body": '"Why?" she asked, <b>& left</b>.'},
        ],
    }


def test_chapters_json_is_podcasting_2_0() -> None:
    document = json.loads(chapters_json(CHAPTERS, "Paris talks"))
    assert document == {
        "version": "1.2.0",
        "title": "Paris talks",
        "chapters": [
            {"startTime": 0.0, "endTime": 2.3, "title": "Introduction"},
            {"startTime": 2.3, "endTime": 9.0, "title": "Security guarantees"},
        ],
    }
    assert "title" not in json.loads(chapters_json(CHAPTERS))
