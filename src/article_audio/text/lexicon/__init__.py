"""Pronunciation lexicon: names and words the speech engines would otherwise get wrong.

An :class:`Entry` maps a written word or phrase (``"Kyiv"``, ``"Xi Jinping"``) to how it is
said: ``ipa`` for engines that take phonemes (Piper, inline ``[[ ipa ]]``) and ``respelling``,
plain letters that an engine without phoneme input (espeak-ng through pyttsx3, SAPI) reads
correctly. :meth:`Lexicon.apply` rewrites a sentence for one of the two modes.

Lexicons are files, chosen by suffix:

* ``.toml`` -- our own format::

      [[entry]]
      grapheme = "Zelenskyy"          # or: graphemes = ["Zelenskyy", "Zelensky"]
      ipa = "zɛlˈɛnski"               # optional
      respelling = "zelensky"         # optional; at least one of ipa / respelling
      case_sensitive = true           # optional, default true

      [words]                         # compact form, one line per entry
      "Kyiv" = { ipa = "kˈiːv", respelling = "keev" }

* ``.pls`` / ``.xml`` -- W3C Pronunciation Lexicon Specification 1.0 (what Amazon Polly,
  Azure and ElevenLabs accept): ``<lexeme>`` with one or more ``<grapheme>``, ``<phoneme>``
  (alphabet ``ipa`` or ``x-sampa``) and ``<alias>`` (the respelling). Parsed with defusedxml;
  any DTD or entity declaration is refused.

Matching is whole-word (never inside a longer word), longest phrase first, case-sensitive
unless an entry says otherwise, and takes the possessive ``'s`` along. When several lexicons
are loaded, later entries win.

The package: :mod:`.ipa` (IPA checks and X-SAMPA), :mod:`.entries` (:class:`Entry` and
:class:`Lexicon`), :mod:`.files` (loading by suffix), :mod:`.toml_reader` and
:mod:`.pls_reader`.
"""

from __future__ import annotations

from article_audio.text.lexicon.entries import Entry, Lexicon, LexiconWarning
from article_audio.text.lexicon.files import (
    DEFAULT_LEXICON,
    default_lexicon_path,
    load_lexicon,
    load_lexicons,
    read_entries,
)
from article_audio.text.lexicon.ipa import (
    normalize_ipa,
    possessive_ipa,
    unsupported_symbols,
    xsampa_to_ipa,
)

__all__ = [
    "DEFAULT_LEXICON",
    "Entry",
    "Lexicon",
    "LexiconWarning",
    "default_lexicon_path",
    "load_lexicon",
    "load_lexicons",
    "normalize_ipa",
    "possessive_ipa",
    "read_entries",
    "unsupported_symbols",
    "xsampa_to_ipa",
]
