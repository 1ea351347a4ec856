"""A directory laid out like a bucket: `file:///dir[/prefix]`; keys are paths relative to `dir`."""
from __future__ import annotations

import logging
import os
from datetime import datetime, timezone
from typing import BinaryIO, Iterator

from ..core.errors import PermanentError
from ..core.records import ObjectInfo

log = logging.getLogger(__name__)


class FileObjects:
    def __init__(self, path: str):
        path = os.path.abspath(path)
        if os.path.isdir(path):
            self.root, self.prefix = path, ""
        elif os.path.isdir(os.path.dirname(path)):
            self.root, self.prefix = os.path.split(path)
        else:
            raise PermanentError(f"no such directory: {path}")
        self.bucket = self.root

    def list(self, prefix: str, start_after: str = "") -> Iterator[ObjectInfo]:
        base, _, name_start = prefix.rpartition("/")
        for key in self._walk(base):
            if key.startswith(prefix) and key > start_after:
                yield self._info(key)

    def _walk(self, rel: str) -> Iterator[str]:
        """Keys under a directory, in key order, one directory listing in memory at a time."""
        try:
            entries = sorted(os.scandir(os.path.join(self.root, rel)), key=lambda e: e.name)
        except (FileNotFoundError, NotADirectoryError):
            return
        except PermissionError as exc:
            raise PermanentError(f"cannot list {exc.filename}: permission denied") from exc
        for entry in entries:
            key = f"{rel}/{entry.name}" if rel else entry.name
            if entry.is_dir(follow_symlinks=False):
                yield from self._walk(key)
            elif entry.is_file():
                if entry.is_symlink() and self._escapes(key):  # a link out of the bucket directory
                    log.warning("not listed: %s links outside %s", os.path.join(self.root, key), self.root)
                    continue
                yield key

    def _info(self, key: str) -> ObjectInfo:
        st = os.stat(self._path(key))
        return ObjectInfo(self.bucket, key, st.st_size, f"{st.st_mtime_ns:x}-{st.st_size:x}",
                          last_modified=datetime.fromtimestamp(st.st_mtime, timezone.utc))

    def common_prefixes(self, prefix: str) -> Iterator[str]:
        try:
            names = sorted(e.name for e in os.scandir(os.path.join(self.root, prefix)) if e.is_dir())
        except FileNotFoundError:
            return
        yield from (f"{prefix}{name}/" for name in names)

    def open(self, key: str) -> BinaryIO:
        try:
            return open(self._path(key), "rb")
        except FileNotFoundError:
            raise PermanentError(f"no such object: {self._path(key)}") from None
        except PermissionError:
            raise PermanentError(f"access denied: {self._path(key)}") from None

    def local_path(self, key: str) -> str | None:
        return self._path(key)

    def _path(self, key: str) -> str:
        path = os.path.normpath(os.path.join(self.root, key))
        if not path.startswith(self.root + os.sep) or self._escapes(key):
            raise PermanentError(f"key escapes the bucket directory: {key!r}")
        return path

    def _escapes(self, key: str) -> bool:
        """The key's file, symlinks resolved, lies outside the bucket directory."""
        return not os.path.realpath(os.path.join(self.root, key)).startswith(os.path.realpath(self.root) + os.sep)
