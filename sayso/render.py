"""Terminal output for the CLI: tables and the ingest progress bar (rich)."""
from __future__ import annotations

import contextlib
import json

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

console = Console()
MAX_CELL = 160


def _cell(value) -> Text:
    """A cell as plain text: stored text is never read as rich markup ("[/b]" in an article)."""
    text = "" if value is None else str(value).replace("\n", " ")
    return Text(text if len(text) <= MAX_CELL else text[:MAX_CELL - 1] + "…")


def print_rows(rows: list[dict], columns: list[str], fmt: str, title: str) -> None:
    if fmt == "json":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    table = Table(title=f"{title} ({len(rows)})", show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in columns))
    console.print(table)


def print_analysis(document, analysis) -> None:
    doc_id = document["id"] if isinstance(document, dict) else document.id
    title = (document["title"] if isinstance(document, dict) else document.title) or ""
    console.rule(f"[bold]{escape(doc_id)}[/bold] {escape(title)}")
    print_rows([{"id": q.id, "kind": q.kind, "speaker": q.speaker.name or q.speaker.mention,
                 "role/org": " / ".join(x for x in (q.speaker.role, q.speaker.org) if x),
                 "cue": q.cue, "text": q.text} for q in analysis.quotes],
               ["id", "kind", "speaker", "role/org", "cue", "text"], "table", "Quotes")
    print_rows([{"name": p.name, "country": p.country, "lat": p.lat, "lon": p.lon, "mentions": len(p.mentions)}
                for p in analysis.places], ["name", "country", "lat", "lon", "mentions"], "table", "Places")
    print_rows([c.to_dict() for c in analysis.counts], ["number", "qualifier", "object", "event", "text"], "table", "Counts")
    print_rows([c.to_dict() for c in analysis.corrections], ["wrong", "right"], "table", "Corrections")


@contextlib.contextmanager
def ingest_progress():
    """A progress display; yields the `on_progress` callback for `sayso.batch.ingest`."""
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                        MofNCompleteColumn(), TimeElapsedColumn(), console=Console(stderr=True),
                        transient=True)
    task = progress.add_task("ingesting", total=None)
    counts = {"added": 0, "skipped": 0, "error": 0}

    def on_progress(event, item) -> None:
        counts[event] += 1
        progress.update(task, advance=1, description=(
            f"ingesting: {counts['added']} added, {counts['skipped']} already stored, {counts['error']} failed"))

    with progress:
        yield on_progress


@contextlib.contextmanager
def partition_progress():
    """A progress display for `ingest --engine dask`: partitions and documents done."""
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                        console=Console(stderr=True), transient=True)
    task = progress.add_task("analysing on the cluster", total=None)
    done = {"partitions": 0, "documents": 0}

    def on_partition(result: dict) -> None:
        done["partitions"] += 1
        done["documents"] += result["documents"]
        progress.update(task, description=f"analysing on the cluster: {done['partitions']} partitions, "
                                          f"{done['documents']} documents")

    with progress:
        yield on_partition
