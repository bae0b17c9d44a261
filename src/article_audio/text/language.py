"""The language of an article: the voices speak English, so an article mostly in another
language is refused with an error naming that language, rather than read as gibberish or
reported as page debris.

Text mostly in one script other than Latin (Japanese, Russian, Arabic…) is told by its
letters, and named by py3langid (a naive Bayes identifier whose model ships in its package)
or else by its script. Latin-script text is English when enough of its words are common
English words (English news prose has a quarter to a half of them, a French or Spanish
article almost none); only text that has too few is handed to py3langid, so an English
article almost never pays the second it takes to load the model. Quoted foreign phrases in
an English article change neither test.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING

from article_audio.errors import InputError

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

#: Text with fewer letters than this is too short to tell its language: it passes.
MIN_LETTERS = 60
#: Text is in another script when more than this share of its letters are not Latin…
FOREIGN_SCRIPT_SHARE = 0.5
#: …and one script (Han and kana counted as one) has this share of those letters.
SCRIPT_DOMINANCE = 0.8
#: Latin-script text is English when at least this share of its words are in
#: :data:`_ENGLISH_WORDS` (the corpus's English articles: 0.08 to 0.5, almost all above 0.15).
ENGLISH_WORD_SHARE = 0.1
#: py3langid must be this sure (a probability) before Latin-script text is refused: a short
#: French, Spanish or Polish news paragraph scores 0.9995 or more, a jumble of random words
#: at most 0.985 (3,000 tries)…
MIN_CONFIDENCE = 0.999
#: …and this sure to name the language of text in another script (else the script names it).
MIN_NAMING_CONFIDENCE = 0.5

_ENGLISH_WORDS = frozenset(
    re.findall(
        r"\w+",
        """the of and to a in is that for it on was with as he she by at be this are from have has
    not but his her they an or which were said will been their its who would had we you i""",
    )
)
#: A run of letters.
_WORD = re.compile(r"[^\W\d_]+")
#: Languages py3langid is asked to choose among, and their names.
_LANGUAGES = dict(
    re.findall(
        r"(\w+):(\w+)",
        """af:Afrikaans am:Amharic ar:Arabic az:Azerbaijani be:Belarusian bg:Bulgarian
    bn:Bengali bs:Bosnian ca:Catalan cs:Czech cy:Welsh da:Danish de:German el:Greek en:English
    eo:Esperanto es:Spanish et:Estonian eu:Basque fa:Persian fi:Finnish fr:French ga:Irish
    gl:Galician gu:Gujarati he:Hebrew hi:Hindi hr:Croatian hu:Hungarian hy:Armenian
    id:Indonesian is:Icelandic it:Italian ja:Japanese ka:Georgian kk:Kazakh km:Khmer
    kn:Kannada ko:Korean ky:Kyrgyz la:Latin lb:Luxembourgish lo:Lao lt:Lithuanian lv:Latvian
    mk:Macedonian ml:Malayalam mn:Mongolian mr:Marathi ms:Malay mt:Maltese my:Burmese
    ne:Nepali nl:Dutch no:Norwegian pa:Punjabi pl:Polish ps:Pashto pt:Portuguese ro:Romanian
    ru:Russian si:Sinhala sk:Slovak sl:Slovenian so:Somali sq:Albanian sr:Serbian sv:Swedish
    sw:Swahili ta:Tamil te:Telugu th:Thai tl:Tagalog tr:Turkish uk:Ukrainian ur:Urdu
    uz:Uzbek vi:Vietnamese zh:Chinese zu:Zulu""",
    )
)
#: Scripts counted together when telling whether one script dominates.
_SCRIPT_FAMILIES = {"HIRAGANA": "CJK", "KATAKANA": "CJK"}
#: Scripts whose letters alone name the language (when py3langid cannot).
_SCRIPT_LANGUAGES = {"HANGUL": "Korean", "GREEK": "Greek", "HEBREW": "Hebrew", "THAI": "Thai"}


def refuse_foreign(name: str, text: str) -> None:
    """Raise :class:`InputError` if ``text`` (the article of input ``name``) is mostly in a
    language other than English: "page.html: the article seems to be in Japanese; the voice
    speaks English"."""
    language = foreign_language(text)
    if language is not None:
        raise InputError(f"{name}: the article seems to be in {language}; the voice speaks English")


def foreign_language(text: str) -> str | None:
    """The name of the language ``text`` is mostly in, if it is not English (None if it is,
    or if there is too little text to tell, or it is a jumble of scripts)."""
    words = _WORD.findall(text)
    scripts = _scripts(words)
    letters = sum(scripts.values())
    if letters < MIN_LETTERS:
        return None
    if scripts.pop("LATIN", 0) >= (1 - FOREIGN_SCRIPT_SHARE) * letters:
        return None if _looks_english(words) else _identified(text, MIN_CONFIDENCE)
    return _other_script_language(text, scripts)


def _other_script_language(text: str, scripts: Counter[str]) -> str | None:
    """The language of ``text``, mostly written in scripts other than Latin (their letters
    counted in ``scripts``); None when no one script dominates them."""
    families: Counter[str] = Counter()
    for script, count in scripts.items():
        families[_SCRIPT_FAMILIES.get(script, script)] += count
    family, count = families.most_common(1)[0]
    if count < SCRIPT_DOMINANCE * sum(families.values()):
        return None
    named = _identified(text, MIN_NAMING_CONFIDENCE)
    if named is not None:
        return named
    if family == "CJK":
        return "Japanese" if scripts["HIRAGANA"] + scripts["KATAKANA"] else "Chinese"
    return _SCRIPT_LANGUAGES.get(family, f"{family.title()} script")


def _scripts(words: list[str]) -> Counter[str]:
    """Letters of ``words`` by script ("LATIN", "CYRILLIC", "CJK", "HIRAGANA"…)."""
    counts: Counter[str] = Counter()
    for word in words:
        if word.isascii():
            counts["LATIN"] += len(word)
            continue
        for char in word:
            if char.isalpha():
                counts[_script(char)] += 1
    return counts


@lru_cache(maxsize=4096)
def _script(char: str) -> str:
    """The script of the letter ``char``: the first word of the Unicode name of its
    compatibility form (so "𝑻" and "Ｔ" are Latin, halfwidth "ｶ" is katakana)."""
    char = unicodedata.normalize("NFKC", char)[:1] or char
    if char < "\u0250" or "\u1e00" <= char < "\u1f00":
        return "LATIN"
    return unicodedata.name(char, "UNKNOWN").split()[0].split("-")[0]


def _looks_english(words: list[str]) -> bool:
    common = sum(word.lower() in _ENGLISH_WORDS for word in words)
    return common >= ENGLISH_WORD_SHARE * len(words)


def _identified(text: str, confidence: float) -> str | None:
    """The name of the language py3langid finds ``text`` in, if it is not English and
    py3langid is at least ``confidence`` sure of it."""
    code, probability = _identifier().classify(text)
    if code == "en" or probability < confidence:
        return None
    return _LANGUAGES.get(code)


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    """py3langid's identifier, choosing among :data:`_LANGUAGES` (loading its model takes
    about a second, so it is loaded once, and only for text that does not look English)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(sorted(_LANGUAGES))
    return identifier
