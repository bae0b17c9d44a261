"""Fail when the Python environment that runs this holds a GPL-licensed distribution.

CI runs it with the interpreter of the default install (``.venv-plain/bin/python
.ci/licences.py``): ``pip install article-audio`` must pull in nothing GPL-licensed. LGPL is
fine, and so is a distribution that offers a permissive licence beside the GPL.

Each installed distribution's licence is read from its metadata, in this order:

1. ``License-Expression`` (PEP 639), an SPDX expression: acceptable when some choice of its
   ``OR`` alternatives avoids every GPL and AGPL licence (``MPL-1.1 OR GPL-2.0-only`` is; ``MIT
   AND GPL-2.0-only`` is not; ``GPL-2.0-only WITH Classpath-exception-2.0`` counts as GPL);
2. else its ``License ::`` classifiers, read as alternatives: acceptable when one of them is not
   the GPL or AGPL (a project that lists MIT and GPLv3 is taken to offer both);
3. else the free-text ``License`` field: acceptable unless it names the GPL or AGPL (not the
   Lesser or Library GPL) with no ``or``-alternative that is permissive.

A distribution that states no licence anywhere is listed as unknown, which does not fail.
``--table`` prints every distribution with the licence it states and the verdict.
Standard library only: it runs in a bare install.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata

#: An SPDX licence id of the GPL family that is not the Lesser GPL (GPL-2.0-only,
#: GPL-3.0-or-later, the deprecated GPL-2.0+, AGPL-3.0-only...).
_GPL_ID = re.compile(r"^A?GPL-\d", re.IGNORECASE)
#: The GPL or AGPL named in prose or a classifier (the Lesser and Library GPL are removed
#: first, see :data:`_LESSER`).
_GPL_WORDS = re.compile(
    r"\bA?GPL|\bGNU\s+(AFFERO\s+)?GENERAL\s+PUBLIC\s+LICEN[CS]E|\bAFFERO", re.IGNORECASE
)
_LESSER = re.compile(
    r"\bLGPL\w*\+?|\bGNU\s+(LESSER|LIBRARY)(\s+OR\s+LESSER)?\s+GENERAL\s+PUBLIC\s+LICEN[CS]E",
    re.IGNORECASE,
)
#: Licences a free-text ``or`` may offer instead of the GPL.
_PERMISSIVE_WORDS = re.compile(
    r"\b(MIT|BSD|APACHE|ISC|ZLIB|PSF|PYTHON|MPL|MOZILLA|LGPL|LESSER|UNLICENSE|CC0|PUBLIC DOMAIN)",
    re.IGNORECASE,
)
_SPDX_TOKEN = re.compile(r"\s*(\(|\)|[A-Za-z0-9.+:-]+)")


@dataclass(frozen=True)
class Verdict:
    """A distribution, the licence it states and where, and whether that licence is the GPL."""

    name: str
    version: str
    licence: str
    source: str
    gpl: bool


class _SpdxError(ValueError):
    pass


def _spdx_tokens(expression: str) -> list[str]:
    tokens, position = [], 0
    expression = expression.strip()
    while position < len(expression):
        match = _SPDX_TOKEN.match(expression, position)
        if match is None:
            raise _SpdxError(expression)
        tokens.append(match.group(1))
        position = match.end()
    return tokens


def spdx_avoids_gpl(expression: str) -> bool:
    """Whether some choice within the SPDX ``expression`` avoids every GPL licence."""
    tokens = _spdx_tokens(expression)

    def alternatives(at: int) -> tuple[bool, int]:  # a OR b: one of them will do
        ok, at = conjunction(at)
        while at < len(tokens) and tokens[at].upper() == "OR":
            right, at = conjunction(at + 1)
            ok = ok or right
        return ok, at

    def conjunction(at: int) -> tuple[bool, int]:  # a AND b: both apply
        ok, at = licence(at)
        while at < len(tokens) and tokens[at].upper() == "AND":
            right, at = licence(at + 1)
            ok = ok and right
        return ok, at

    def licence(at: int) -> tuple[bool, int]:
        if at >= len(tokens):
            raise _SpdxError(expression)
        if tokens[at] == "(":
            ok, at = alternatives(at + 1)
            if at >= len(tokens) or tokens[at] != ")":
                raise _SpdxError(expression)
            return ok, at + 1
        ok = not _GPL_ID.match(tokens[at])
        at += 1
        if at < len(tokens) and tokens[at].upper() == "WITH":  # an exception keeps the GPL
            at += 2
        return ok, at

    ok, end = alternatives(0)
    if end != len(tokens):
        raise _SpdxError(expression)
    return ok


def names_gpl(text: str) -> bool:
    """Whether ``text`` names the GPL or AGPL (the Lesser or Library GPL does not count)."""
    return bool(_GPL_WORDS.search(_LESSER.sub(" ", text)))


def text_avoids_gpl(text: str) -> bool:
    """Whether a free-text licence avoids the GPL: it names none, or offers another licence
    with ``or`` (``GPLv2 or BSD``)."""
    if not names_gpl(text):
        return True
    choices = re.split(r"\bor\b|/|\bdual\b", text, flags=re.IGNORECASE)
    return len(choices) > 1 and any(
        _PERMISSIVE_WORDS.search(choice) and not names_gpl(choice) for choice in choices
    )


def licence_classifiers(classifiers: Iterable[str]) -> list[str]:
    """The licences a distribution's classifiers name (``License :: OSI Approved :: MIT
    License`` gives ``MIT License``; the bare ``OSI Approved`` names none)."""
    named = []
    for classifier in classifiers:
        parts = [part.strip() for part in classifier.split("::")]
        if parts[0] == "License" and parts[-1] not in ("License", "OSI Approved"):
            named.append(parts[-1])
    return named


def _field(fields: metadata.PackageMetadata, name: str) -> str:
    values = fields.get_all(name) or []
    return "\n".join(str(value) for value in values).strip()


def judge(fields: metadata.PackageMetadata) -> Verdict:
    """The verdict on one distribution's metadata (see the module's docstring)."""
    name, version = _field(fields, "Name"), _field(fields, "Version")
    expression = _field(fields, "License-Expression")
    if expression:
        try:
            return Verdict(name, version, expression, "expression", not spdx_avoids_gpl(expression))
        except _SpdxError:
            return Verdict(name, version, expression, "expression", not text_avoids_gpl(expression))
    classified = licence_classifiers(fields.get_all("Classifier") or [])
    if classified:
        gpl = all(names_gpl(licence) for licence in classified)
        return Verdict(name, version, " | ".join(classified), "classifiers", gpl)
    text = _field(fields, "License")
    if text and text.upper() != "UNKNOWN":
        summary = " ".join(text.split())
        summary = summary if len(summary) <= 60 else summary[:57] + "..."
        return Verdict(name, version, summary, "license", not text_avoids_gpl(text))
    return Verdict(name, version, "", "none", False)


def installed() -> list[Verdict]:
    """A verdict on every distribution installed where this runs, by name."""
    found: dict[str, Verdict] = {}
    for distribution in metadata.distributions():
        verdict = judge(distribution.metadata)
        found.setdefault(verdict.name.lower(), verdict)
    return [found[key] for key in sorted(found)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", action="store_true", help="print every distribution")
    arguments = parser.parse_args(argv)
    verdicts = installed()
    if arguments.table:
        for v in verdicts:
            mark = "GPL" if v.gpl else ("unknown" if v.source == "none" else "ok")
            print(f"{v.name}\t{v.version}\t{v.licence}\t({v.source})\t{mark}")
    unknown = [v.name for v in verdicts if v.source == "none"]
    if unknown:
        print(f"licence unknown (not stated in the metadata): {', '.join(unknown)}")
    gpl = [v for v in verdicts if v.gpl]
    for v in gpl:
        print(f"GPL-licensed: {v.name} {v.version} ({v.source}: {v.licence})", file=sys.stderr)
    if gpl:
        print(f"{len(gpl)} GPL-licensed distribution(s) installed", file=sys.stderr)
        return 1
    print(f"{len(verdicts)} distributions installed, none GPL-licensed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
