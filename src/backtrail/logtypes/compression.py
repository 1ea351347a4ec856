"""Compression detected by magic bytes, never by file name.

`open_decompressed` streams an object's content (gzip with every member, zstd across frames,
bzip2, or plain); `decompress_tolerant` is the careful path for damaged objects: it returns what
could be decoded and, if the stream is damaged, why it stopped.
"""
from __future__ import annotations

import bz2
import zlib
from typing import BinaryIO

import zstandard
from isal import igzip, igzip_lib

GZIP, ZSTD, BZIP2, NONE = "gzip", "zstd", "bz2", "none"
DAMAGED = (EOFError, OSError, ValueError, zlib.error, zstandard.ZstdError, igzip_lib.IsalError)
"""What reading a damaged stream from `open_decompressed` raises."""
_MAGIC = ((b"\x1f\x8b", GZIP), (b"\x28\xb5\x2f\xfd", ZSTD), (b"BZh", BZIP2))


def detect(head: bytes) -> str:
    for magic, codec in _MAGIC:
        if head.startswith(magic):
            return codec
    return NONE


def open_decompressed(path: str, codec: str) -> BinaryIO:
    """A stream of the content; damage raises EOFError / OSError / zstd errors when read."""
    if codec == GZIP:
        return igzip.open(path, "rb")
    if codec == ZSTD:
        return zstandard.ZstdDecompressor().stream_reader(open(path, "rb"), read_across_frames=True,
                                                          closefd=True)
    if codec == BZIP2:
        return bz2.open(path, "rb")
    return open(path, "rb")


def decompress_tolerant(data: bytes, codec: str) -> tuple[bytes, str]:
    """Decode as much as possible; the second value is '' or the reason decoding stopped."""
    if codec == GZIP:
        return _gunzip_members(data)
    if codec == ZSTD:
        return _stream(zstandard.ZstdDecompressor().decompressobj(), data, "zstd")
    if codec == BZIP2:
        return _stream(bz2.BZ2Decompressor(), data, "bzip2")
    return data, ""


def _gunzip_members(data: bytes) -> tuple[bytes, str]:
    out, pos = [], 0
    while pos < len(data):
        d = zlib.decompressobj(wbits=31)
        try:
            out.append(d.decompress(data[pos:]))
        except zlib.error as exc:
            return b"".join(out), f"corrupt gzip at byte {pos}: {exc}"
        if not d.eof:
            return b"".join(out), f"truncated gzip: the stream ends before its last member does ({len(data)} bytes read)"
        pos = len(data) - len(d.unused_data)
        if d.unused_data and not d.unused_data.startswith(b"\x1f\x8b"):
            if d.unused_data.strip(b"\x00"):
                return b"".join(out), f"trailing garbage after gzip member at byte {pos}"
            break
    return b"".join(out), ""


def _stream(decoder, data: bytes, name: str) -> tuple[bytes, str]:
    try:
        out = decoder.decompress(data)
    except Exception as exc:
        return b"", f"corrupt {name}: {exc}"
    done = getattr(decoder, "eof", True)
    return out, "" if done else f"truncated {name} stream"
