"""Exports from the store. Every writer streams and writes to a temporary file that replaces the
target only when complete, so a failed export never leaves half a file behind."""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .tabular import write_csv, write_jsonl

FORMATS = {"jsonl": write_jsonl, "csv": write_csv}


@contextlib.contextmanager
def atomic_output(path: str | Path, mode: str = "w", **kwargs):
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    try:
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def export(store, fmt: str, out: str | Path) -> int:
    """Write the collection in `fmt` to `out`; returns the number of records written."""
    writer = FORMATS[fmt]
    with atomic_output(out, newline="" if fmt == "csv" else None, encoding="utf-8") as fh:
        return writer(store, fh)


__all__ = ["FORMATS", "export", "atomic_output"]
