"""Pass rates of the text stages against public test suites (issue 15):

    python benchmarks/text_suites.py [--failures]

prints, per set, how many of the English Golden Rules of pragmatic_segmenter and pySBD
``split_sentences`` gets exactly right, and, per category, how many of NVIDIA NeMo's English
text-normalization cases ``normalize`` reads as a newsreader would (the cases a listed
convention sets aside do not count). ``--failures`` also lists the cases that fail.
The data and conventions live in ``tests/data/``; the targets are asserted by
``tests/test_golden_rules.py`` and ``tests/test_nemo_normalization.py``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.text_suites import (
    canonical,
    golden_rule_rates,
    nemo_cases,
    nemo_rates,
)

from article_audio.text.normalize import normalize
from article_audio.text.sentences import split_sentences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--failures", action="store_true", help="list the failing NeMo cases")
    args = parser.parse_args()
    print("Sentence boundaries (exact, in scope):")
    for name, (exact, total) in golden_rule_rates(split_sentences).items():
        print(f"  Golden Rules {name:<20} {exact:>3}/{total:<3} {exact / total:.1%}")
    figures = nemo_rates(normalize)
    passed = sum(p for p, _ in figures.values())
    counted = sum(c for _, c in figures.values())
    aside = sum(case.set_aside is not None for case in nemo_cases())
    print(f"NeMo normalization: {passed}/{counted} {passed / counted:.1%} ({aside} set aside)")
    for category, (p, c) in figures.items():
        print(f"  {category:<11} {p:>3}/{c:<3} {p / c:.0%}")
    if args.failures:
        for case in nemo_cases():
            said = normalize(case.written)
            if case.set_aside is None and canonical(said) != canonical(case.expected):
                print(
                    f"{case.category}: {case.written!r}\n  want {case.expected!r}\n  got  {said!r}"
                )


if __name__ == "__main__":
    main()
