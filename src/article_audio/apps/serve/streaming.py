"""Reading audio while it is made: the bytes of a growing file, as they arrive.

A first render encodes its audio into a live copy as it goes
(:class:`~article_audio.audio.encode.Encoder`'s ``live``, written packet by packet). A listener
who asks for the audio meanwhile gets that file from its first byte, and then every byte the
encoder adds, until the render is over; an article that finishes before the listener's first
read (a render reused from the cache writes no live copy) is read from its finished file.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import BinaryIO

#: Bytes read at a time.
CHUNK_BYTES = 64 * 1024
#: Seconds between looks at a file that has not grown (about one MP3 frame at 22.05 kHz).
POLL_S = 0.03


def _open(path: Path) -> BinaryIO | None:
    try:
        return path.open("rb")
    except FileNotFoundError:
        return None


async def _whole(path: Path) -> AsyncIterator[bytes]:
    handle = _open(path)
    if handle is None:
        return
    with handle:
        while chunk := handle.read(CHUNK_BYTES):
            yield chunk


async def growing(
    live: Path,
    writing: Callable[[], bool],
    pending: Callable[[], bool],
    finished: Path,
    poll_s: float = POLL_S,
) -> AsyncIterator[bytes]:
    """The bytes of ``live`` as it grows, from its first, until ``pending()`` says the render
    is over; ``writing()`` says the render has begun (so ``live``, if it exists, is this
    render's). If the render is over before ``live`` was opened, the ``finished`` file."""
    handle: BinaryIO | None = None
    while handle is None:
        if writing():
            handle = _open(live)
        if handle is None:
            if not pending():
                async for chunk in _whole(finished):
                    yield chunk
                return
            await asyncio.sleep(poll_s)
    with handle:
        while True:
            chunk = handle.read(CHUNK_BYTES)
            if chunk:
                yield chunk
                continue
            if not pending():  # the live copy was complete before the job was marked done
                while chunk := handle.read(CHUNK_BYTES):
                    yield chunk
                return
            await asyncio.sleep(poll_s)
