"""The runtime context: the environment read once, the cache root and the model folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from article_audio.context import cache_root, open_runtime
from article_audio.errors import ExportError


def test_the_cache_root_is_the_option_else_the_environment(tmp_path: Path) -> None:
    environ = {"ARTICLE_AUDIO_CACHE_DIR": str(tmp_path / "env")}
    with open_runtime(tmp_path / "option", environ=environ) as runtime:
        assert runtime.cache_root == tmp_path / "option"
        assert runtime.model_dir == tmp_path / "option" / "voices"
        assert runtime.use_cache
    with open_runtime(None, environ=environ) as runtime:
        assert runtime.cache_root == tmp_path / "env"
    assert not (tmp_path / "option").exists()  # opening a runtime writes nothing


def test_without_a_cache_the_root_is_a_temporary_folder_removed_afterwards(tmp_path: Path) -> None:
    with open_runtime(tmp_path / "unused", use_cache=False, environ={}) as runtime:
        root = runtime.cache_root
        assert root.is_dir() and not runtime.use_cache
        assert runtime.model_dir.parent == root
        (root / "voices").mkdir()
        (root / "voices" / "model.onnx").write_bytes(b"made for this run only")
    assert not root.exists()
    assert not (tmp_path / "unused").exists()


def test_the_environment_is_read_when_the_runtime_opens(tmp_path: Path) -> None:
    environ = {"ARTICLE_AUDIO_FFMPEG": str(tmp_path / "no-such-ffmpeg")}
    with open_runtime(tmp_path, environ=environ) as runtime:
        environ.clear()  # later changes are not seen
        assert runtime.environment.ffmpeg == str(tmp_path / "no-such-ffmpeg")
        with pytest.raises(ExportError, match=r"ARTICLE_AUDIO_FFMPEG=.*no such program"):
            runtime.ffmpeg()
    assert cache_root("given", runtime.environment) == Path("given")
