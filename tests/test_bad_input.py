"""Bad input through the real CLI: one-line error, exit code 2, no traceback, no output file."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

CLI = str(Path(sys.executable).parent / "article-audio")


def write(name: str, data: bytes) -> Callable[[Path], list[str]]:
    def make(folder: Path) -> list[str]:
        (folder / name).write_bytes(data)
        return [str(folder / name)]

    return make


def with_lexicon(name: str, text: str) -> Callable[[Path], list[str]]:
    def make(folder: Path) -> list[str]:
        (folder / "a.txt").write_text(
            "Title here\n\nA body sentence about Kyiv.\n", encoding="utf-8"
        )
        (folder / name).write_text(text, encoding="utf-8")
        return [str(folder / "a.txt"), "--lexicon", str(folder / name)]

    return make


def article_with(*options: str) -> Callable[[Path], list[str]]:
    def make(folder: Path) -> list[str]:
        (folder / "a.txt").write_text("Title here\n\nA body sentence.\n", encoding="utf-8")
        return [str(folder / "a.txt"), *options]

    return make


CASES = {
    "empty file": (write("a.txt", b""), "empty"),
    "only whitespace": (write("a.txt", b"  \n\n\t \n"), "empty"),
    "only debris": (
        write(
            "a.txt", b"Advertisement\nListen to this article\nEstimated 4 minutes\n1 day ago\n6\n"
        ),
        "no article text",
    ),
    "binary file": (write("a.txt", bytes(range(256)) * 4), "not a text file"),
    "invalid utf-8": (write("a.txt", "Café olé, a title\n\nBody.".encode("latin-1")), "UTF-8"),
    "missing input": (lambda folder: [str(folder / "nope.txt")], "no such file"),
    "unknown voice": (article_with("--voice", "nobody"), "unknown voice 'nobody'"),
    "malformed TOML lexicon": (
        with_lexicon("bad.toml", '[[entry]]\ngrapheme = "Kyiv"\nipa = "kˈiːv\n'),
        "bad.toml:3",
    ),
    "lexicon entry without pronunciation": (
        with_lexicon("empty.toml", '[[entry]]\ngrapheme = "Kyiv"\n'),
        "empty.toml:1",
    ),
    "malformed PLS lexicon": (
        with_lexicon("bad.pls", '<?xml version="1.0"?>\n<lexicon>\n<lexeme>\n</lexicon>\n'),
        "bad.pls:4",
    ),
    "output folder missing": (article_with("-o", "/nonexistent/dir/out.mp3"), "does not exist"),
}


RUNS = [
    pytest.param(command, case, id=f"{command}: {case}")
    for command in ("render", "script")
    for case in sorted(CASES)
    if not (command == "script" and "output" in case)  # script writes no file
]


@pytest.mark.parametrize(("command", "case"), RUNS)
def test_bad_input_is_a_one_line_error(command: str, case: str, tmp_path: Path) -> None:
    make, message = CASES[case]
    args = make(tmp_path)
    before = set(tmp_path.iterdir())
    out = [] if command == "script" or "-o" in args else ["-o", str(tmp_path / "out.mp3")]
    result = subprocess.run(
        [CLI, command, *args, *out], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("article-audio: error: ")
    assert message in lines[0]
    assert set(tmp_path.iterdir()) == before  # no output, no temporary left behind


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [CLI, "--debug", "script", str(tmp_path / "missing.txt")], capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "Traceback" in result.stderr
