"""The package root's ``__all__`` is the public API, and it is kept honest (as httpx's
``test_exported_members``): every name in it exists, every public name at the root is in it,
and whatever the README shows as Python API is exported from the root."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest

import article_audio

ROOT = Path(__file__).resolve().parents[1]
#: The role folders: internal, reachable as attributes once imported, never API.
SUBPACKAGES = {"apps", "audio", "engines", "outputs", "store", "text"}
#: Root modules: reachable as attributes once imported, never API themselves.
MODULES = {"clauses", "cli", "config", "context", "errors", "script", "util", "voices"}


def test_all_names_exist_once_sorted() -> None:
    names = article_audio.__all__
    assert names == sorted(names, key=lambda n: (not n[0].isupper(), n))
    assert len(set(names)) == len(names)
    for name in names:
        assert hasattr(article_audio, name), name


def test_every_public_root_name_is_in_all() -> None:
    names = dir(article_audio)
    for name in article_audio.__all__:
        getattr(article_audio, name)  # every lazy name loaded, so vars() holds them all
    public = {
        name
        for name, value in vars(article_audio).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public == set(article_audio.__all__)
    assert {n for n in names if not n.startswith("_")} - SUBPACKAGES - MODULES == public


def test_unknown_root_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        article_audio.nothing_here  # noqa: B018


def test_importing_the_package_loads_nothing_heavy() -> None:
    """``import article_audio`` (and the CLI's --help) import no engine, no numerics, no HTTP
    client and no text models: the API's names load on first use."""
    probe = (
        "import sys, article_audio, article_audio.cli; "
        "print(' '.join(sorted(m for m in ('numpy', 'nltk', 'httpx', 'scipy', 'onnxruntime', "
        "'trafilatura', 'lxml', 'pydub') if m in sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_exported_members_are_ours_and_documented() -> None:
    for name in article_audio.__all__:
        member = getattr(article_audio, name)
        assert member.__module__.startswith("article_audio."), name
        assert inspect.getdoc(member), f"{name} has no docstring"


def _readme_python() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    inline = re.findall(r"`([^`\n]*article_audio[^`\n]*)`", text)
    return "\n".join([*blocks, *inline])


def test_the_readme_shows_only_root_api() -> None:
    shown = _readme_python()
    dotted = set(re.findall(r"\barticle_audio\.(\w+)", shown)) - {"__version__"}
    imported: set[str] = set()
    for module, names in re.findall(r"from article_audio(\.[\w.]+)? import ([\w, ()]+)", shown):
        assert not module, f"the README imports from article_audio{module}: export it instead"
        imported |= {n.strip() for n in names.strip("()").split(",") if n.strip()}
    assert dotted, "the README's Python examples were not found"
    assert not (dotted | imported) & SUBPACKAGES, "the README reaches into a subpackage"
    assert (dotted | imported) <= set(article_audio.__all__)


def test_version_is_the_installed_one() -> None:
    from importlib.metadata import version

    assert article_audio.__version__ == version("article-audio")
