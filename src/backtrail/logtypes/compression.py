"""Compression detected by magic bytes, never by file name.

`open_decompressed` streams an object's content (gzip with every member, zstd across frames,
bzip2, or plain); `decompress_tolerant` is the careful path for damaged objects: it returns what
could be decoded and, if the stream is damaged, why it stopped. Both refuse a decompression
bomb: content larger than `limit(compressed size)`.
"""
from __future__ import annotations

import bz2
import io
import os
import zlib
from typing import BinaryIO

import zstandard
from isal import igzip, igzip_lib

GZIP, ZSTD, BZIP2, NONE = "gzip", "zstd", "bz2", "none"
DAMAGED = (EOFError, OSError, ValueError, zlib.error, zstandard.ZstdError, igzip_lib.IsalError)
"""What reading a damaged stream from `open_decompressed` raises."""
_MAGIC = ((b"\x1f\x8b", GZIP), (b"\x28\xb5\x2f\xfd", ZSTD), (b"BZh", BZIP2))
BOMB_FLOOR = 1 << 30
BOMB_RATIO = 100
"""Content may grow to 1 GiB, or to 100x its compressed size when that is more: real logs
compress 5-30x; beyond that an object is refused as a decompression bomb."""
_CHUNK = 1 << 20


class DecompressionBomb(ValueError):
    """The content is larger than an object of that compressed size can honestly hold."""


def limit(compressed_size: int) -> int:
    return max(BOMB_FLOOR, BOMB_RATIO * compressed_size)


def _bomb(size: int, allowed: int) -> DecompressionBomb:
    return DecompressionBomb(f"decompression bomb: {size:,} compressed bytes expand beyond {allowed:,}"
                             f" (limit: {BOMB_RATIO}x, at least {BOMB_FLOOR:,} bytes)")


class _Bounded(io.RawIOBase):
    """A decompressed stream that raises DecompressionBomb past its limit."""

    def __init__(self, stream: BinaryIO, size: int):
        self._stream, self._size, self._allowed, self._read = stream, size, limit(size), 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        data = self._stream.read(n if n is not None and n >= 0 else self._allowed + 1 - self._read)
        self._read += len(data)
        if self._read > self._allowed:
            raise _bomb(self._size, self._allowed)
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        self._stream.close()
        super().close()


def detect(head: bytes) -> str:
    for magic, codec in _MAGIC:
        if head.startswith(magic):
            return codec
    return NONE


def open_decompressed(path: str, codec: str) -> BinaryIO:
    """A stream of the content; damage raises EOFError / OSError / zstd errors when read, a bomb
    DecompressionBomb."""
    if codec == NONE:
        return open(path, "rb")
    if codec == GZIP:
        stream = igzip.open(path, "rb")
    elif codec == ZSTD:
        stream = zstandard.ZstdDecompressor().stream_reader(open(path, "rb"), read_across_frames=True, closefd=True)
    else:
        stream = bz2.open(path, "rb")
    return _Bounded(stream, os.path.getsize(path))


def decompress_tolerant(data: bytes, codec: str) -> tuple[bytes, str]:
    """Decode as much as possible; the second value is '' or the reason decoding stopped."""
    allowed = limit(len(data))
    if codec == GZIP:
        return _gunzip_members(data, allowed)
    if codec == ZSTD:
        reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data), read_across_frames=True)
        return _bounded_read(reader, len(data), allowed, "zstd")
    if codec == BZIP2:
        return _bounded_read(bz2.BZ2File(io.BytesIO(data)), len(data), allowed, "bzip2")
    return data, ""


def _gunzip_members(data: bytes, allowed: int) -> tuple[bytes, str]:
    out, pos, total = [], 0, 0
    while pos < len(data):
        d = zlib.decompressobj(wbits=31)
        try:
            out.append(d.decompress(data[pos:], allowed + 1 - total))
        except zlib.error as exc:
            return b"".join(out), f"corrupt gzip at byte {pos}: {exc}"
        total += len(out[-1])
        if total > allowed or d.unconsumed_tail:
            return b"".join(out)[:allowed], str(_bomb(len(data), allowed))
        if not d.eof:
            return b"".join(out), f"truncated gzip: the stream ends before its last member does ({len(data)} bytes read)"
        pos = len(data) - len(d.unused_data)
        if d.unused_data and not d.unused_data.startswith(b"\x1f\x8b"):
            if d.unused_data.strip(b"\x00"):
                return b"".join(out), f"trailing garbage after gzip member at byte {pos}"
            break
    return b"".join(out), ""


def _bounded_read(reader, size: int, allowed: int, name: str) -> tuple[bytes, str]:
    out, total = [], 0
    try:
        while chunk := reader.read(_CHUNK):
            out.append(chunk)
            total += len(chunk)
            if total > allowed:
                return b"".join(out)[:allowed], str(_bomb(size, allowed))
    except (EOFError, OSError, ValueError, zstandard.ZstdError) as exc:
        return b"".join(out), f"{'truncated' if isinstance(exc, EOFError) else 'corrupt'} {name} stream: {exc}"
    return b"".join(out), ""
