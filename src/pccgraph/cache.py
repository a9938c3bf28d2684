"""Stage 3b: remember each response's extraction between builds.

Extraction is a pure function of one response (its text, where it was cut from,
the page's metadata), the code and the reference data, so its result is kept
on disk under a key made of all three: the SHA-256 of the response as read
(text, file, lines, metadata), the package version with a hash of its source
files, and a hash of every file in the reference data folder. Editing a letter,
the code or the reference data changes the key; a rebuild re-extracts only what
changed. Entries no build asked for are pruned after each build.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

from .model import Document, Extraction, RawLetter

PACKAGE = Path(__file__).resolve().parent
SUFFIX = ".pickle"


@functools.cache
def code_version() -> str:
    """The package version plus a hash of its Python sources (edits in a checkout count)."""
    try:
        version = metadata.version("pccgraph")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
        version = "0"
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return f"{version}+{digest.hexdigest()[:16]}"


def reference_hash(reference_dir: Path | str) -> str:
    """SHA-256 of the reference data folder: every file's relative path and bytes."""
    folder = Path(reference_dir)
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def response_key(raw: RawLetter, salt: str) -> str:
    """The cache key of one response: its text and place, the code and the reference data."""
    digest = hashlib.sha256(salt.encode("utf-8") + b"\0")
    digest.update(raw.sha256.encode("ascii") + b"\0")
    digest.update(repr((raw.source, raw.index, raw.offset, raw.start_line, raw.end_line, raw.meta)).encode("utf-8"))
    digest.update(b"\0" + raw.text.encode("utf-8"))
    return digest.hexdigest()


def read_pickle(path: Path) -> object | None:
    """What ``path`` holds, or None when it is missing, unreadable or made by other code."""
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return None


def write_pickle(path: Path, value: object) -> None:
    """Pickle ``value`` to ``path`` atomically (a temporary file renamed into place); a cache
    that cannot be written only costs time, so a failure is ignored."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        return


class PickleCache:
    """Values on disk, one pickle per key under ``folder/<ab>/<key><suffix>``.

    A missing, unreadable or stale entry (not a ``kind``) is a miss, never an
    error; writes are atomic (a temporary file renamed into place).
    """

    suffix = SUFFIX
    kind: type = object

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        self.used: set[str] = set()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}{self.suffix}"

    def has(self, key: str) -> bool:
        self.used.add(key)
        return self._path(key).is_file()

    def get(self, key: str) -> Any:
        self.used.add(key)
        found = read_pickle(self._path(key))
        return found if isinstance(found, self.kind) else None

    def put(self, key: str, value: object) -> None:
        self.used.add(key)
        write_pickle(self._path(key), value)

    def prune(self) -> int:
        """Delete the entries this build did not use; how many were deleted."""
        removed = 0
        if not self.folder.is_dir():
            return 0
        for path in self.folder.glob(f"??/*{self.suffix}"):
            if path.name[: -len(self.suffix)] not in self.used:
                path.unlink(missing_ok=True)
                removed += 1
        return removed


class ExtractionCache(PickleCache):
    """Extractions on disk, one pickle per response under ``folder/<ab>/<key>.pickle``."""

    kind = Extraction

    def __init__(self, folder: Path | str, reference_dir: Path | str) -> None:
        super().__init__(folder)
        self.salt = f"{code_version()}\0{reference_hash(reference_dir)}"

    def key(self, raw: RawLetter) -> str:
        return response_key(raw, self.salt)


class SplitCache(PickleCache):
    """How each file was cut into responses (and what cutting it reported), keyed by the
    file's text, name and metadata and the code: reading a large corpus again is then a
    matter of reading files, not of finding their responses again."""

    suffix = ".split.pickle"
    kind = tuple

    def key(self, doc: Document) -> str:
        text = f"{code_version()}\0{doc.path}\0{doc.sha256}\0{doc.encoding}\0{doc.meta!r}"
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
