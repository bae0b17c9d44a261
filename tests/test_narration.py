"""The narration stage: intro, long-sentence splitting, and the script built from an article."""

from __future__ import annotations

from pathlib import Path

import pytest

from article_audio.apps.console import script_lines
from article_audio.apps.render import load_article, profile_lexicon
from article_audio.config import MAX_SENTENCE_CHARS
from article_audio.engines import phoneme_mode
from article_audio.text.article import Article, Section
from article_audio.text.lexicon import Lexicon, load_lexicons
from article_audio.text.narration import (
    build_script,
    intro_sentences,
    split_long_sentence,
    words_said,
)
from article_audio.voices import load_profile, load_profile_file


def article(**fields: object) -> Article:
    base: dict[str, object] = {"title": "Talks resume", "sections": (Section(None, ("Body.",)),)}
    base.update(fields)
    return Article(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "intro"),
    [
        (
            {"authors": ("Murray Brewster",), "publication": "CBC News"},
            ["Talks resume.", "By Murray Brewster, CBC News."],
        ),
        (
            {"authors": ("Ann Lee", "Bo Chan", "Cy Dorn")},
            ["Talks resume.", "By Ann Lee, Bo Chan and Cy Dorn."],
        ),
        ({"publication": "Reuters"}, ["Talks resume.", "From Reuters."]),
        ({"byline": "Staff reporter"}, ["Talks resume.", "By Staff reporter."]),
        ({"title": "Is peace near?"}, ["Is peace near?"]),
    ],
)
def test_intro(fields: dict[str, object], intro: list[str]) -> None:
    assert intro_sentences(article(**fields)) == intro


def test_short_sentences_are_not_split() -> None:
    assert split_long_sentence("A short sentence, with a comma.") == [
        "A short sentence, with a comma."
    ]


def test_long_sentences_split_at_the_strongest_clause_boundary() -> None:
    clause = "the negotiators worked through the night on the draft text"
    sentence = f"First {clause}, then {clause}; after that {clause}, and finally {clause}."
    pieces = split_long_sentence(sentence, 140)
    assert " ".join(pieces) == sentence
    assert all(len(p) <= 140 for p in pieces)
    assert pieces[0].endswith(";")  # the semicolon beats the earlier comma


def test_a_sentence_up_to_the_limit_stays_whole() -> None:
    clause = "the negotiators worked through the night on the draft text"
    sentence = f"First {clause}, then {clause}; after that {clause}, and finally {clause}."
    assert 200 < len(sentence) <= MAX_SENTENCE_CHARS == 450
    assert split_long_sentence(sentence) == [sentence]


def test_a_clause_break_near_the_start_beats_cutting_a_phrase() -> None:
    words = " ".join(["word"] * 30)
    sentence = f"Early on, {words} and then {words}."
    pieces = split_long_sentence(sentence, 150)
    assert pieces[0] == "Early on,"  # the only clause break, though short
    assert " ".join(pieces) == sentence


def test_without_a_clause_break_a_cut_comes_before_a_conjunction() -> None:
    words = " ".join(["word"] * 20)
    sentence = f"{words} which {words}."
    pieces = split_long_sentence(sentence, 150)
    assert pieces == [words, f"which {words}."]


def test_a_sentence_without_punctuation_splits_between_words() -> None:
    sentence = " ".join(["word"] * 200)
    pieces = split_long_sentence(sentence, MAX_SENTENCE_CHARS)
    assert " ".join(pieces) == sentence
    assert all(len(p) <= MAX_SENTENCE_CHARS for p in pieces)


def test_the_plain_script_shows_words_not_phonemes(example: Path) -> None:
    profile = load_profile("joe")
    script = build_script(
        load_article(example), profile, profile_lexicon(profile), phoneme_mode="ipa"
    )
    told = next(s for s in script.sentences if s.text.startswith("Zelenskyy told reporters"))
    assert told.spoken.startswith("[[ ")  # the engine gets the lexicon's IPA
    assert words_said(told).startswith("Zelenskyy told reporters")  # a reader gets the word
    lines = list(script_lines(script))
    assert lines[0] == f"## {script.chapters[0].title}"
    assert not any("[[" in line for line in lines)
    assert words_said(told) in lines
    # the example's first body sentence (216 characters) is one line now, not two pieces
    assert any(line.endswith("ceasefire and peace settlement with Russia.") for line in lines)


def test_example_script_chapters(example: Path, fake_voice: Path) -> None:
    profile = load_profile_file(fake_voice)
    script = build_script(
        load_article(example),
        profile,
        profile_lexicon(load_profile("joe")),
        phoneme_mode="ipa",
    )
    titles = [c.title for c in script.chapters]
    assert (
        titles[0]
        == "Coalition partners meet in Paris to discuss giving Ukraine peace plan military backing"
    )
    assert len(titles) >= 4
    intro = [s.text for s in script.chapters[0].sentences]
    assert intro == [titles[0] + ".", "By Murray Brewster, CBC News."]
    assert titles[1:] == ["Security guarantees", "Ukrainian president", "Peace framework"]
    assert all(s.spoken.strip() for s in script.sentences)


def test_user_lexicon_wins_over_the_shipped_one(example: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text('[[entry]]\ngrapheme = "Carney"\nipa = "kˈɑːɹni"\nrespelling = "CAR-nee"\n')
    lexicon = profile_lexicon(load_profile("joe"), (str(mine),))
    script = build_script(load_article(example), load_profile("joe"), lexicon, phoneme_mode="ipa")
    spoken = " ".join(s.spoken for s in script.sentences)
    assert "Mark [[ kˈɑːɹni ]]" in spoken
    assert lexicon.lookup("Zelenskyy") == load_lexicons([]).lookup("Zelenskyy")  # shipped kept


def test_headings_are_read_aloud_and_opening_word_titles_are_not(fake_voice: Path) -> None:
    article = Article(
        title="Budget day",
        sections=(
            Section(None, ("The minister rose at noon.",)),
            Section("What changes", ("Taxes fall.",)),
            Section("Is it enough?", ("Critics doubt it.",)),
        ),
    )
    profile = load_profile_file(fake_voice)
    script = build_script(article, profile, load_lexicons([]), phoneme_mode="ipa")
    texts = [[s.text for s in chapter.sentences] for chapter in script.chapters[1:]]
    assert texts == [
        ["The minister rose at noon."],
        ["What changes.", "Taxes fall."],
        ["Is it enough?", "Critics doubt it."],
    ]


# --- hostile content: spoken as text, never interpreted -------------------------------------

HOSTILE = {
    "piper phoneme syntax": (
        "In Kyiv, say [[ ˈɡɑːt ]] and [[[x]]] or ]][[y.",
        "In [[ kˈiːv, ]] say [ˈɡɑːt] and [x] or][y.",
        "In keev, say [ˈɡɑːt] and [x] or][y.",
    ),
    "SSML": (
        'She said <speak><break time="10s"/><phoneme ph="x">Kyiv</phoneme></speak> twice.',
        'She said less than speak more than less than break time equals "tens" more than less '
        'than phoneme ph equals "x" more than [[ kˈiːv ]] less than phoneme more than less than '
        "speak more than twice.",
        'She said less than speak more than less than break time equals "tens" more than less '
        'than phoneme ph equals "x" more than keev less than phoneme more than less than speak '
        "more than twice.",
    ),
    "XML with an entity": (
        '<!DOCTYPE x [<!ENTITY e "boom">]> &e; ends.',
        'less than!DOCTYPE x [less than!ENTITY e "boom" more than] more than and e; ends.',
        'less than!DOCTYPE x [less than!ENTITY e "boom" more than] more than and e; ends.',
    ),
    "control characters": (
        "Bell\x07 and null\x00 text\x7f here.",
        "Bell and null text here.",
        "Bell and null text here.",
    ),
    "bidi overrides": (
        "Bidi \u202eevil\u202c text \u2066here\u2069 and \u200fthere.",
        "Bidi evil text here and there.",
        "Bidi evil text here and there.",
    ),
    "zero-width characters": (
        "Zero\u200bwidth\u200cjoin\u200d end\ufeff of\u2060 it.",
        "Zerowidthjoin end of it.",
        "Zerowidthjoin end of it.",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
@pytest.mark.parametrize("voice", ["joe", "system"])
def test_hostile_text_is_spoken_as_text(case: str, voice: str) -> None:
    written, ipa, respelling = HOSTILE[case]
    profile = load_profile(voice)
    script = build_script(
        article(sections=(Section(None, (written,)),)),
        profile,
        profile_lexicon(profile),
        phoneme_mode=phoneme_mode(profile),
    )
    assert [s.spoken for s in script.sentences[1:]] == [ipa if voice == "joe" else respelling]


def test_a_10000_character_sentence_is_spoken_in_pieces(fake_voice: Path) -> None:
    words = " ".join(f"word{n % 10}" for n in range(1667))[:10_000].rstrip() + "."
    glued = "x" * 10_000
    cjk = "東京都は冬に備えている" * 909 + "。"
    pieces = [split_long_sentence(text) for text in (words, glued, cjk)]
    assert " ".join(pieces[0]) == words  # cut between words, none cut
    # one enormous "word": cut every MAX_SENTENCE_CHARS characters
    size = MAX_SENTENCE_CHARS
    assert pieces[1] == [glued[start : start + size] for start in range(0, len(glued), size)]
    assert "".join(pieces[2]) == cjk  # no spaces: cut where it must be, nothing lost
    profile = load_profile_file(fake_voice)
    script = build_script(
        article(sections=(Section(None, (words, glued, cjk)),)),
        profile,
        load_lexicons([]),
        phoneme_mode=phoneme_mode(profile),
    )
    sentences = [s.text for s in script.sentences[1:]]
    assert sentences == [*pieces[0], *pieces[1], *pieces[2]]
    assert max(len(text) for text in sentences) == MAX_SENTENCE_CHARS


def test_text_without_spaces_is_cut_after_its_own_punctuation() -> None:
    text = "東京都は冬に備えている、" * 40  # 480 characters, commas every 12
    pieces = split_long_sentence(text, 100)
    assert "".join(pieces) == text
    assert [len(p) for p in pieces] == [96, 96, 96, 96, 96]
    assert all(piece.endswith("、") for piece in pieces)


@pytest.mark.parametrize("mark", ["…", "… …"])
def test_a_sentence_with_nothing_to_say_is_not_handed_to_the_engine(mark: str) -> None:
    from article_audio.text.narration import _paragraph

    paragraph = _paragraph(f"It was bullying. {mark} You get the idea.", Lexicon(), "ipa", 400)
    assert paragraph is not None
    assert [s.text for s in paragraph.sentences] == ["It was bullying.", "You get the idea."]
