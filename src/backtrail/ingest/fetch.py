"""Make an object readable: a local file (in place or downloaded), its codec known."""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass

from ..core.ports import ObjectStore
from ..core.records import ObjectRef
from ..logtypes import compression
from ..logtypes.base import LogType

_CHUNK = 1 << 20


@dataclass
class Fetched:
    ref: ObjectRef
    log_type: LogType
    path: str
    codec: str
    size: int
    temporary: bool = False

    def release(self) -> None:
        if self.temporary:
            os.unlink(self.path)


def fetch(ref: ObjectRef, log_type: LogType, objects: ObjectStore, workdir: str) -> Fetched:
    """Streamed to `workdir` unless the object already is a file; memory stays at one chunk."""
    path = objects.local_path(ref.info.key)
    temporary = path is None
    if temporary:
        fd, path = tempfile.mkstemp(dir=workdir, suffix=".obj")
        with os.fdopen(fd, "wb") as out, objects.open(ref.info.key) as body:
            shutil.copyfileobj(body, out, _CHUNK)
    with open(path, "rb") as f:
        head = f.read(8)
        size = os.fstat(f.fileno()).st_size
    return Fetched(ref, log_type, path, compression.detect(head), size, temporary)
