<?xml version="1.0" encoding="UTF-8"?>
<lexicon version="1.0"
      xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
      xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
      xsi:schemaLocation="http://www.w3.org/2005/01/pronunciation-lexicon
        http://www.w3.org/TR/2007/CR-pronunciation-lexicon-20071212/pls.xsd"
      alphabet="ipa" xml:lang="en-US">
  <!-- Two spellings, one pronunciation, and an alias for engines without phonemes. -->
  <lexeme>
    <grapheme>Zelenskyy</grapheme>
    <grapheme>Zelensky</grapheme>
    <phoneme>zɛlˈɛnski</phoneme>
    <alias>zelensky</alias>
  </lexeme>
  <!-- An alias only. -->
  <lexeme>
    <grapheme>WHO</grapheme>
    <alias>World Health Organization</alias>
  </lexeme>
  <!-- The phoneme marked prefer="true" wins over the first one. -->
  <lexeme>
    <grapheme>Qatar</grapheme>
    <phoneme>kəˈtɑːɹ</phoneme>
    <phoneme prefer="true">kˈɑːtɑːɹ</phoneme>
  </lexeme>
  <!-- A phoneme in X-SAMPA, converted to IPA. -->
  <lexeme>
    <grapheme>Kyiv</grapheme>
    <phoneme alphabet="x-sampa">k"i:v</phoneme>
  </lexeme>
</lexicon>
