"""Exports from the store. Every writer streams from the store and writes to a temporary file
(or folder) that replaces the target only when complete, so a failed export never leaves half a
file behind. An export never deletes what sayso did not write: an existing target is replaced
only when it is a previous sayso export of the same format (`check_target`)."""
from __future__ import annotations

import contextlib
import json
import os
import tempfile
import zipfile
from pathlib import Path

FORMATS = ("jsonl", "csv", "parquet", "geojson", "qdpx")
GENERATOR = "sayso"  # the GeoJSON export's "generator" member, by which a previous export is known


class ExportError(Exception):
    """A target the export refuses to write; the message is one line naming the path."""


@contextlib.contextmanager
def atomic_output(path: str | Path, mode: str = "w", **kwargs):
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    try:
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _head(path: Path, size: int = 65536) -> str:
    with open(path, "rb") as fh:
        return fh.read(size).decode("utf-8", errors="replace")


def _previous_csv(path: Path) -> bool:
    from .tabular import QUOTE_COLUMNS

    return _head(path).splitlines()[:1] == [",".join(QUOTE_COLUMNS)]


def _previous_jsonl(path: Path) -> bool:
    with open(path, "rb") as fh:
        first = fh.readline(50_000_000)
    try:
        record = json.loads(first)
    except ValueError:
        return False
    return isinstance(record, dict) and {"doc", "text_sha256", "quotes"} <= set(record)


def _previous_geojson(path: Path) -> bool:
    head = _head(path, 200)
    return head.startswith('{"type": "FeatureCollection", "generator": "' + GENERATOR)


def _previous_qdpx(path: Path) -> bool:
    from xml.etree import ElementTree as ET

    try:
        with zipfile.ZipFile(path) as archive, archive.open("project.qde") as fh:
            for _, element in ET.iterparse(fh, events=("start",)):
                return (element.get("origin") or "").startswith("sayso")
    except (zipfile.BadZipFile, KeyError, ET.ParseError, OSError):
        return False
    return False


PREVIOUS = {"csv": _previous_csv, "jsonl": _previous_jsonl, "geojson": _previous_geojson, "qdpx": _previous_qdpx}


def check_target(out: str | Path, fmt: str, store_path: str | Path | None = None) -> None:
    """Refuse (ExportError) a target whose replacement would lose something sayso did not write:
    the store itself, a folder where a file is written, a file that is not a previous export of
    this format, a folder with anything but a previous Parquet export's files."""
    out = Path(out)
    if store_path is not None and out.exists() and out.resolve() == Path(store_path).resolve():
        raise ExportError(f"{out}: that is the store being exported; choose another --out")
    if fmt == "parquet":
        from .parquet import is_previous_export

        if out.exists() and not out.is_dir():
            raise ExportError(f"{out}: is a file; parquet writes a folder (choose a new or empty folder)")
        if out.is_dir() and not is_previous_export(out):
            raise ExportError(f"{out}: folder is not empty and not a sayso parquet export; "
                              "sayso replaces only its own exports (choose a new or empty folder)")
        return
    if out.is_dir():
        raise ExportError(f"{out}: is a folder; {fmt} writes a file")
    if out.exists() and out.stat().st_size and not PREVIOUS[fmt](out):
        raise ExportError(f"{out}: exists and is not a sayso {fmt} export; sayso replaces only its own "
                          "exports (remove it or choose another --out)")


def export(store, fmt: str, out: str | Path, codebook=None, include_rejected: bool = False) -> int:
    """Write the collection in `fmt` to `out` (a folder for parquet); returns records written.
    Quotes are as reviewed; `include_rejected` keeps rejected ones too (jsonl, csv, parquet, where
    each quote carries its review status). Raises ExportError, before writing anything, for a
    target it must not replace."""
    from .geojson import write_geojson
    from .parquet import write_parquet
    from .qdpx import write_qdpx
    from .tabular import write_csv, write_jsonl

    if include_rejected and fmt in ("geojson", "qdpx"):
        raise ExportError(f"--include-rejected is for jsonl, csv and parquet; {fmt} holds reviewed quotes only")
    check_target(out, fmt, getattr(store, "path", None))
    if fmt == "parquet":
        return write_parquet(store, out, include_rejected)
    if fmt == "qdpx":
        from ..codebook import load

        return write_qdpx(store, out, codebook or load())
    with atomic_output(out, newline="" if fmt == "csv" else None, encoding="utf-8") as fh:
        if fmt == "geojson":
            return write_geojson(store, fh)
        return {"jsonl": write_jsonl, "csv": write_csv}[fmt](store, fh, include_rejected)


__all__ = ["FORMATS", "ExportError", "check_target", "export", "atomic_output"]
