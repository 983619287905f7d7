"""Readers: turn paths (files, directories, globs) into `Document`s, one at a time.

Reading never stops a batch: a file that cannot be read yields an `IngestError` naming the file
(and line), and the next file is read.
"""
from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..model import Document
from .readers import READERS, ReadError


@dataclass
class IngestError:
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


SUPPORTED = tuple(sorted(READERS))


def expand_paths(paths: Iterable[str]) -> Iterator[Path | IngestError]:
    """Files named, files under directories (recursive, sorted), and glob matches."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                if found.is_file() and found.suffix.lower() in READERS and not _hidden(found, path):
                    yield found
        elif path.is_file():
            yield path
        elif glob.has_magic(raw):
            matches = sorted(Path(m) for m in glob.glob(raw, recursive=True) if os.path.isfile(m))
            if not matches:
                yield IngestError(raw, "no file matches this pattern")
            yield from matches
        else:
            yield IngestError(raw, "no such file or directory")


def _hidden(found: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in found.relative_to(root).parts)


def iter_documents(paths: Iterable[str]) -> Iterator[Document | IngestError]:
    """Stream documents from paths; errors are yielded in place, never raised."""
    for item in expand_paths(paths):
        if isinstance(item, IngestError):
            yield item
            continue
        reader = READERS.get(item.suffix.lower(), READERS[".txt"])
        try:
            for result in reader(item):
                if isinstance(result, ReadError):
                    yield IngestError(str(item), result.message, result.line)
                else:
                    yield result
        except ReadError as err:
            yield IngestError(str(item), err.message, err.line)
        except OSError as err:
            yield IngestError(str(item), f"cannot read: {err.strerror or err}")


__all__ = ["IngestError", "iter_documents", "expand_paths", "SUPPORTED"]
