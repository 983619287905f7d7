"""Readers: turn paths (files, directories, globs) and URLs into `Document`s, one at a time.

Reading never stops a batch: a file that cannot be read yields an `IngestError` naming the file
(and line or record), and the next file is read.
"""
from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..model import Document
from .language import detect_language
from .readers import READERS, ReadError, kind_of

# Files that describe another file (speaker names, diarisation for a transcript), never documents.
SIDECARS = (".speakers.json", ".speakers.yaml", ".speakers.yml", ".rttm")


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
            found = [f for f in sorted(path.rglob("*"))
                     if f.is_file() and _readable_kind(f) and not _hidden(f, path)]
            if not found:
                yield IngestError(raw, f"no files to read in this folder (reads {' '.join(SUPPORTED)})")
            yield from found
        elif path.is_file():
            yield path
        elif glob.has_magic(raw):
            matches = sorted(Path(m) for m in glob.glob(raw, recursive=True)
                             if os.path.isfile(m) and not m.lower().endswith(SIDECARS))
            if not matches:
                yield IngestError(raw, "no file matches this pattern")
            yield from matches
        else:
            yield IngestError(raw, "no such file or directory")


def _readable_kind(path: Path) -> bool:
    return kind_of(path) is not None and not path.name.lower().endswith(SIDECARS)


def _hidden(found: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in found.relative_to(root).parts)


def iter_documents(paths: Iterable[str], urls_file: str | None = None) -> Iterator[Document | IngestError]:
    """Stream documents from paths (and the URLs or feed URLs listed in `urls_file`); errors are
    yielded in place, never raised. Every document leaves with a language."""
    for item in _read_all(paths, urls_file):
        if isinstance(item, Document) and not item.language:
            item.language = detect_language(item.text)
        yield item


def _read_all(paths: Iterable[str], urls_file: str | None) -> Iterator[Document | IngestError]:
    for item in expand_paths(paths):
        if isinstance(item, IngestError):
            yield item
        else:
            yield from read_file(item)
    if urls_file:
        from .feeds import read_urls_file

        yield from read_urls_file(urls_file)


def read_file(path: Path) -> Iterator[Document | IngestError]:
    """The documents of one file, with its errors (a bad record does not stop the file)."""
    reader = READERS[kind_of(path) or ".txt"]
    try:
        for result in reader(path):
            if isinstance(result, ReadError):
                yield IngestError(str(path), result.message, result.line)
            elif isinstance(result, IngestError):
                yield result
            else:
                yield result
    except ReadError as err:
        yield IngestError(str(path), err.message, err.line)
    except OSError as err:
        yield IngestError(str(path), f"cannot read: {err.strerror or err}")
    except Exception as err:  # a library's own error on a damaged file: name the file, keep the batch going
        detail = (str(err).splitlines() or [""])[0][:200]
        yield IngestError(str(path), f"unreadable {kind_of(path) or 'text'} file ({type(err).__name__}: {detail})")


__all__ = ["IngestError", "iter_documents", "expand_paths", "read_file", "SUPPORTED"]
