"""The one copy of each small helper: slug, hash, atomic write."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from article_audio.errors import ExportError
from article_audio.util import atomic_path, file_sha256, slugify, write_atomically


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Été à Montréal", "ete-a-montreal"),
        ("  --Hello, World!--  ", "hello-world"),
        ("con", "con-article"),
        (
            "Trudeau pledges more support giving Ukraine planes",
            "trudeau-pledges-more-support-giving-ukraine-planes",
        ),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_slugify_cuts_at_a_word() -> None:
    title = "Canada and allies meet in Paris on a coalition of the willing giving Ukraine planes"
    slug = slugify(title)
    assert slug == "canada-and-allies-meet-in-paris-on-a-coalition-of-the"
    assert len(slug) <= 60
    assert slugify("x" * 80) == "x" * 60  # one long word: cut where it must be


def test_slugify_never_empty() -> None:
    assert slugify("東京") == "article-" + hashlib.sha256("東京".encode()).hexdigest()[:8]


def test_file_sha256(tmp_path: Path) -> None:
    path = tmp_path / "a.bin"
    path.write_bytes(b"abc" * 1_000_000)
    assert file_sha256(path) == hashlib.sha256(b"abc" * 1_000_000).hexdigest()


def test_atomic_write_takes_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomically(tmp_path / "out.txt", b"hello")
    finally:
        os.umask(old)
    assert (tmp_path / "out.txt").read_bytes() == b"hello"
    assert (tmp_path / "out.txt").stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_a_failed_block_leaves_nothing(tmp_path: Path) -> None:
    (tmp_path / "out.txt").write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_path(tmp_path / "out.txt") as temporary:
        temporary.write_bytes(b"half")
        raise RuntimeError("interrupted")
    assert (tmp_path / "out.txt").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_a_dead_process_leftover_is_removed(tmp_path: Path) -> None:
    leftover = tmp_path / ".out.999999999.abcd.part"
    leftover.write_bytes(b"half")
    write_atomically(tmp_path / "out.txt", b"whole")
    assert not leftover.exists()


def test_an_unwritable_folder_is_an_export_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="cannot write in"):
        write_atomically(tmp_path / "missing" / "out.txt", b"x")
