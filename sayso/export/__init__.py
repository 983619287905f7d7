"""Exports from the store. Every writer streams from the store and writes to a temporary file
(or folder) that replaces the target only when complete, so a failed export never leaves half a
file behind."""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

FORMATS = ("jsonl", "csv", "parquet", "geojson", "qdpx")


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


def export(store, fmt: str, out: str | Path, codebook=None) -> int:
    """Write the collection in `fmt` to `out` (a folder for parquet); returns records written."""
    from .geojson import write_geojson
    from .parquet import write_parquet
    from .qdpx import write_qdpx
    from .tabular import write_csv, write_jsonl

    if fmt == "parquet":
        return write_parquet(store, out)
    if fmt == "qdpx":
        from ..codebook import load

        return write_qdpx(store, out, codebook or load())
    writer = {"jsonl": write_jsonl, "csv": write_csv, "geojson": write_geojson}[fmt]
    with atomic_output(out, newline="" if fmt == "csv" else None, encoding="utf-8") as fh:
        return writer(store, fh)


__all__ = ["FORMATS", "export", "atomic_output"]
