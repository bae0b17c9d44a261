"""The package root's ``__all__`` is the public API, and it is kept honest (as httpx's
``test_exported_members``): every name in it exists, every public name at the root is in it,
and whatever the README shows as Python API is exported from the root."""

from __future__ import annotations

import inspect
import re
import types
from pathlib import Path

import article_audio

ROOT = Path(__file__).resolve().parents[1]
#: The role folders: internal, reachable as attributes once imported, never API.
SUBPACKAGES = {"apps", "audio", "engines", "outputs", "store", "text"}


def test_all_names_exist_once_sorted() -> None:
    names = article_audio.__all__
    assert names == sorted(names, key=lambda n: (not n[0].isupper(), n))
    assert len(set(names)) == len(names)
    for name in names:
        assert hasattr(article_audio, name), name


def test_every_public_root_name_is_in_all() -> None:
    public = {
        name
        for name, value in vars(article_audio).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public == set(article_audio.__all__)


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
