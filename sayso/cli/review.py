"""Review from the command line (the same library calls as the web): list, accept, reject, edit
and add quotes, merge/split/rename entities, move decisions between stores, measure precision and
agreement; and `reanalyze`, which re-runs sayso on stored documents without losing decisions."""
from __future__ import annotations

import json

import click

from .base import (ALIASES_OPTION, BELIEF_OPTION, CODEBOOK_OPTION, CUES_OPTION, DB_OPTION, SCORER_OPTION,
                   _settings, cli, fail, open_store)

STATUS_CHOICE = click.Choice(["unreviewed", "accepted", "rejected", "edited", "added", "orphaned"])
KIND_CHOICE = click.Choice(["direct", "indirect", "according_to"])
FORMAT_OPTION = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
                             show_default=True, help="json: JSON Lines, one record per line.")
REVIEWER_OPTION = click.option("--reviewer", help="Who decides (default: the OS user).")
NOTE_OPTION = click.option("--note", help="Why, in a few words; kept with the decision.")
LIST_COLUMNS = ["doc_id", "id", "review_status", "kind", "speaker_name", "reviewer", "reviewed_at", "text"]


@cli.group()
def review():
    """Review what sayso found: accept, reject, edit or add quotes, merge, split or rename
    entities. Decisions are kept with who and when, and survive `sayso reanalyze`."""


def _print_quote(row: dict, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(row, ensure_ascii=False))
        return
    click.echo(f"{row['doc_id']} {row['id']}: {row['review_status']} · {row['kind']} · "
               f"{row['speaker_name'] or 'unknown speaker'} · by {row['reviewer']} · {row['text'][:80]!r}")

TABLE_LIMIT = 100  # quotes a table shows when no --limit is given


def _fail_on_review_errors(call):
    from ..review import ReviewError
    from ..store import RegistryError

    try:
        return call()
    except (ReviewError, RegistryError) as err:
        fail(str(err))


@review.command("list")
@DB_OPTION
@click.option("--doc", "doc_id", help="Only quotes of this document.")
@click.option("--status", type=STATUS_CHOICE,
              help="Only quotes with this review status; orphaned: decisions whose quote is gone.")
@REVIEWER_OPTION
@click.option("--include-rejected", is_flag=True, help="Also list rejected quotes.")
@click.option("--limit", type=click.IntRange(1), help="At most this many quotes (a table shows the first "
              f"{TABLE_LIMIT} unless a limit is given; JSON lists all).")
@FORMAT_OPTION
def list_(db, doc_id, status, reviewer, include_rejected, limit, fmt):
    """Quotes as reviewed (edits applied, added quotes in, rejected ones out), with their status."""
    from ..render import print_rows
    from ..review import orphaned, quotes

    with open_store(db, readonly=True) as store:
        if status == "orphaned":
            rows = orphaned(store.conn, doc_id)
            print_rows(rows, ["doc_id", "start", "end", "kind", "action", "reviewer", "reviewed_at", "reason"], fmt,
                       title="Orphaned decisions")
            return
        rows = quotes(store.conn, doc=doc_id, status=status, reviewer=reviewer, include_rejected=include_rejected)
    shown = limit or (TABLE_LIMIT if fmt == "table" else None)
    if shown and len(rows) > shown:
        click.echo(f"sayso: the first {shown} of {len(rows)} quotes (--limit N for more, --doc ID to narrow)", err=True)
        rows = rows[:shown]
    print_rows(rows, LIST_COLUMNS, fmt, title="Quotes")


def _decide(db, doc_id, quote_id, action, reviewer, note, fmt="table", **edits):
    from ..review import decide

    with open_store(db, readonly=False) as store:
        row = _fail_on_review_errors(lambda: decide(store.conn, doc_id, quote_id, action, reviewer=reviewer,
                                                    note=note, **edits))
    _print_quote(row, fmt)


@review.command()
@click.argument("doc_id")
@click.argument("quote_id")
@DB_OPTION
@REVIEWER_OPTION
@NOTE_OPTION
@FORMAT_OPTION
def accept(doc_id, quote_id, db, reviewer, note, fmt):
    """Confirm quote QUOTE_ID of DOC_ID as sayso found it."""
    _decide(db, doc_id, quote_id, "accept", reviewer, note, fmt)


@review.command()
@click.argument("doc_id")
@click.argument("quote_id")
@DB_OPTION
@REVIEWER_OPTION
@NOTE_OPTION
@FORMAT_OPTION
def reject(doc_id, quote_id, db, reviewer, note, fmt):
    """Mark quote QUOTE_ID of DOC_ID as not a quote: readers leave it out."""
    _decide(db, doc_id, quote_id, "reject", reviewer, note, fmt)


@review.command()
@click.argument("doc_id")
@click.argument("quote_id")
@DB_OPTION
@click.option("--speaker", help="The right speaker.")
@click.option("--kind", type=KIND_CHOICE, help="The right kind of quote.")
@click.option("--start", type=click.IntRange(0), help="The right start offset (with --end).")
@click.option("--end", type=click.IntRange(1), help="The right end offset (with --start).")
@REVIEWER_OPTION
@NOTE_OPTION
@FORMAT_OPTION
def edit(doc_id, quote_id, db, speaker, kind, start, end, reviewer, note, fmt):
    """Correct the speaker, kind or span of quote QUOTE_ID of DOC_ID."""
    _decide(db, doc_id, quote_id, "edit", reviewer, note, fmt, speaker=speaker, kind=kind, start=start, end=end)


@review.command("add")
@click.argument("doc_id")
@DB_OPTION
@click.option("--start", type=click.IntRange(0), required=True, help="Offset where the quote starts.")
@click.option("--end", type=click.IntRange(1), required=True, help="Offset where it ends.")
@click.option("--speaker", required=True, help="Who said it.")
@click.option("--kind", type=KIND_CHOICE, default="direct", show_default=True)
@REVIEWER_OPTION
@NOTE_OPTION
@FORMAT_OPTION
def add_quote(doc_id, db, start, end, speaker, kind, reviewer, note, fmt):
    """Add a quote sayso missed in DOC_ID (offsets as in `sayso show DOC_ID --format text`)."""
    from ..review import add

    with open_store(db, readonly=False) as store:
        row = _fail_on_review_errors(lambda: add(store.conn, doc_id, start, end, speaker, kind, reviewer, note))
    _print_quote(row, fmt)


@review.command()
@click.argument("doc_id")
@click.argument("quote_id")
@DB_OPTION
def history(doc_id, quote_id, db):
    """Every decision on a quote, oldest first, with the machine values and run it was made on (JSON Lines)."""
    from ..review import history as quote_history

    with open_store(db, readonly=True) as store:
        rows = _fail_on_review_errors(lambda: quote_history(store.conn, doc_id, quote_id))
    for row in rows:
        click.echo(json.dumps(row, ensure_ascii=False))


@review.command()
@click.argument("into")
@click.argument("other")
@DB_OPTION
@REVIEWER_OPTION
@NOTE_OPTION
def merge(into, other, db, reviewer, note):
    """Merge entity OTHER into INTO (ids like E12 or unambiguous names); holds for later ingests."""
    from ..review import merge_entities

    with open_store(db, readonly=False) as store:
        into_id, other_id = _fail_on_review_errors(lambda: merge_entities(store.conn, into, other, reviewer, note))
    click.echo(f"merged {other_id} into {into_id}")


@review.command()
@click.argument("entity")
@click.argument("name")
@DB_OPTION
@REVIEWER_OPTION
@NOTE_OPTION
def split(entity, name, db, reviewer, note):
    """Give NAME, one of ENTITY's names, an entity of its own."""
    from ..review import split_entity

    with open_store(db, readonly=False) as store:
        new = _fail_on_review_errors(lambda: split_entity(store.conn, entity, name, reviewer, note))
    click.echo(f"{name!r} is now {new}")


@review.command()
@click.argument("entity")
@click.argument("name")
@DB_OPTION
@REVIEWER_OPTION
@NOTE_OPTION
def rename(entity, name, db, reviewer, note):
    """Call ENTITY (id or name) NAME from now on; its old name stays one of its names."""
    from ..review import rename_entity

    with open_store(db, readonly=False) as store:
        entity_id = _fail_on_review_errors(lambda: rename_entity(store.conn, entity, name, reviewer, note))
    click.echo(f"{entity_id} is now called {name!r}")


@review.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@DB_OPTION
def export_decisions(file, db):
    """Write every decision to FILE.jsonl (one per line, anchored by document hash and span)."""
    from ..export import atomic_output
    from ..review.exchange import write_jsonl

    with open_store(db, readonly=True) as store:
        from ..review import ensure_view

        ensure_view(store.conn)
        try:
            with atomic_output(file, encoding="utf-8") as fh:
                n = write_jsonl(store.conn, fh)
        except OSError as err:
            fail(f"{file}: {err.strerror or err}")
    click.echo(f"{n} decisions -> {file}")


@review.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@DB_OPTION
def import_decisions(file, db):
    """Read decisions from FILE.jsonl; decisions already stored are skipped, so importing twice is
    safe. A bad line stops the import before anything is stored."""
    from ..review import orphaned
    from ..review.exchange import import_records, read_jsonl

    try:
        with open(file, encoding="utf-8") as fh:
            records = _fail_on_review_errors(lambda: read_jsonl(fh, file))
    except UnicodeDecodeError:
        fail(f"{file}: not UTF-8 text")
    with open_store(db, readonly=False) as store:
        counts = import_records(store.conn, records)
        orphans = len(orphaned(store.conn))
    click.echo(f"{counts['added']} decisions added, {counts['already']} already stored"
               + (f", {counts['unapplied']} entity decisions name entities not in this store (kept)"
                  if counts["unapplied"] else "")
               + (f"; {orphans} decisions attach to no quote here (sayso review list --status orphaned)"
                  if orphans else ""))


@review.command()
@DB_OPTION
@FORMAT_OPTION
def stats(db, fmt):
    """How good is sayso on this collection, from the decisions made: shares of reviewed machine
    quotes accepted / edited (speaker, span, kind) / rejected, precision, quotes added per
    document and a recall estimate (on documents whose every quote was reviewed); by document
    source and by how the speaker was found."""
    from ..render import print_rows
    from ..review import ensure_view
    from ..review.measures import stats as review_stats

    with open_store(db, readonly=True) as store:
        ensure_view(store.conn)
        result = review_stats(store.conn)
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    columns = ["group", "machine_quotes", "reviewed", "accepted", "edited", "edited_speaker", "edited_span",
               "edited_kind", "rejected", "precision", "speaker_precision"]
    rows = [{"group": "all", **result["overall"]}]
    rows += [{"group": f"source: {k}", **v} for k, v in result["by_source"].items()]
    rows += [{"group": f"speaker by: {k}", **v} for k, v in result["by_resolved_by"].items()]
    print_rows(rows, columns, "table", title=f"Machine quotes in {result['documents_reviewed']} reviewed documents")
    added = [{"group": "all", **result["overall"]}] + [{"group": f"source: {k}", **v}
                                                       for k, v in result["by_source"].items()]
    print_rows(added, ["group", "added", "complete_documents", "added_per_document", "recall_estimate"], "table",
               title="Missed quotes (recall on documents whose every quote was reviewed)")


@review.command()
@DB_OPTION
@FORMAT_OPTION
def agreement(db, fmt):
    """Inter-reviewer agreement on quotes two reviewers both judged: percent agreement and
    Cohen's kappa per decision type (is it a quote; speaker, kind, span)."""
    from ..render import print_rows
    from ..review import ensure_view
    from ..review.measures import agreement as review_agreement

    with open_store(db, readonly=True) as store:
        ensure_view(store.conn)
        rows = review_agreement(store.conn)
    if not rows and fmt == "table":
        click.echo("no quote was judged by two reviewers")
        return
    print_rows(rows, ["reviewers", "decision", "quotes", "agreement_percent", "kappa"], fmt, title="Agreement")


@review.command("add-reviewer")
@click.argument("name")
@click.option("--file", "path", required=True, type=click.Path(dir_okay=False),
              help="The reviewers file (YAML, or JSON when it ends in .json) for `sayso serve --reviewers`.")
def add_reviewer(name, path):
    """Add reviewer NAME to the reviewers file (or give them a new token) and print the token
    once: only its hash is stored."""
    from ..review.reviewers import ReviewersError
    from ..review.reviewers import add_reviewer as add_entry

    try:
        token = add_entry(path, name)
    except (ReviewersError, OSError) as err:
        fail(str(err))
    click.echo(token)
    click.echo(f"sayso: {name} added to {path}; give them the token above (it is not stored)", err=True)


@cli.command()
@DB_OPTION
@click.option("--doc", "doc_ids", multiple=True, help="Only this document (repeatable; default: all).")
@click.option("--batch-size", default=16, show_default=True, type=click.IntRange(1, 10_000))
@ALIASES_OPTION
@CUES_OPTION
@BELIEF_OPTION
@CODEBOOK_OPTION
@SCORER_OPTION
def reanalyze(db, doc_ids, batch_size, aliases, cues, belief, codebook, theme_scorer):
    """Run the current sayso (and the given cues, aliases, codebook) again on stored documents,
    in place, and record the run. Review decisions re-attach to the new facts by document hash,
    span and kind; a decision whose quote is gone is kept and listed as orphaned."""
    from ..review.reanalyze import reanalyze as run

    settings = _settings(aliases, cues, belief, codebook, theme_scorer)
    with open_store(db, readonly=False) as store:
        try:
            report = run(store, list(doc_ids) or None, batch_size=batch_size, **settings)
        except KeyError as err:
            fail(f"{err.args[0]} in {db}")
    click.echo(f"{report.documents} documents re-analysed (run {report.run_id}): {report.quotes_before} quotes "
               f"before, {report.quotes_after} now; {report.attached} of {report.decisions} decisions attached, "
               f"{len(report.orphaned)} orphaned")
    for o in report.orphaned:
        click.echo(f"sayso: warning: orphaned {o['action']} by {o['reviewer']} on {o['doc_id']} "
                   f"{o['start']}-{o['end']} ({o['kind']}): {o['reason']}", err=True)
    if report.orphaned:
        click.echo("sayso: orphaned decisions are kept: sayso review list --status orphaned", err=True)
