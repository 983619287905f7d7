"""Reading a collection: quotes, speakers, entities, search, show, themes."""
from __future__ import annotations

import json

import click

from .base import DB_OPTION, cli, fail, open_store


@cli.command()
@DB_OPTION
@click.option("--speaker", help="Only quotes whose speaker name or mention contains this text.")
@click.option("--doc", "doc_id", help="Only quotes from this document id.")
@click.option("--kind", type=click.Choice(["direct", "indirect", "according_to"]), help="Only this kind of quote.")
@click.option("--limit", type=click.IntRange(1), help="At most this many quotes.")
@click.option("--include-rejected", is_flag=True, help="Also quotes a reviewer rejected (flagged in review_status).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def quotes(db, speaker, doc_id, kind, limit, include_rejected, fmt):
    """List stored quotes as reviewed, with speaker, kind, cue and review status."""
    from ..render import print_rows

    with open_store(db, readonly=True) as store:
        rows = store.quotes(speaker=speaker, doc=doc_id, kind=kind, limit=limit, include_rejected=include_rejected)
    print_rows(rows, ["doc_id", "id", "kind", "speaker_name", "cue", "review_status", "text"], fmt, title="Quotes")


@cli.command()
@DB_OPTION
@click.option("--label", type=click.Choice(["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"]),
              help="Only entities with this label.")
@click.option("--merge", nargs=2, metavar="INTO OTHER",
              help="Merge entity OTHER into INTO (ids like E12, or unambiguous names); kept for later ingests.")
@click.option("--split", nargs=2, metavar="ENTITY NAME",
              help="Give NAME, one of ENTITY's names, an entity of its own.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def entities(db, label, merge, split, fmt):
    """List the collection's people, organisations and places, each with a stable id, the names
    it goes by and how many documents and quotes link to it; merge or split them."""
    from ..render import print_rows
    from ..store import RegistryError

    with open_store(db, readonly=not (merge or split)) as store:
        try:
            if merge:
                into, other = store.merge_entities(*merge)
                click.echo(f"merged {other} into {into}")
            if split:
                new = store.split_entity(*split)
                click.echo(f"{split[1]!r} is now {new}")
        except RegistryError as err:
            fail(str(err))
        if merge or split:
            return
        rows = store.entities(label)
    print_rows(rows, ["id", "name", "label", "documents", "quotes", "names"], fmt, title="Entities")


@cli.command()
@DB_OPTION
@click.option("--include-rejected", is_flag=True, help="Also count the quotes a reviewer rejected.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def speakers(db, include_rejected, fmt):
    """List speakers with their number of quotes and documents (as reviewed)."""
    from ..render import print_rows

    with open_store(db, readonly=True) as store:
        rows = store.speakers(include_rejected=include_rejected)
    print_rows(rows, ["name", "quotes", "documents", "roles", "orgs"], fmt, title="Speakers")


@cli.command()
@click.argument("query")
@DB_OPTION
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.option("--include-rejected", is_flag=True, help="Also quotes a reviewer rejected (flagged in review_status).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def search(query, db, limit, include_rejected, fmt):
    """Full-text search over document texts and quotes. Words are all required; put a phrase
    in double quotes. No search syntax is interpreted, so any text is a safe query."""
    from ..render import print_rows

    with open_store(db, readonly=True) as store:
        hits = store.search(query, limit=limit, include_rejected=include_rejected)
    if fmt == "json":
        click.echo(json.dumps(hits, ensure_ascii=False, indent=2))
        return
    print_rows(hits["documents"], ["id", "title", "snippet"], fmt, title="Documents")
    print_rows(hits["quotes"], ["doc_id", "id", "speaker_name", "text"], fmt, title="Quotes")


@cli.command()
@click.argument("doc_id")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json", "text"]), default="table", show_default=True,
              help="table: facts as tables; json: the `analyze` JSON; text: the stored text itself.")
@click.option("--include-rejected", is_flag=True, help="Also quotes a reviewer rejected.")
def show(doc_id, db, fmt, include_rejected):
    """Show one stored document with its facts."""
    from ..render import print_analysis

    with open_store(db, readonly=True) as store:
        document = store.document(doc_id)
        analysis = store.analysis(doc_id, include_rejected=include_rejected) if document else None
    if document is None:
        fail(f"no document with id {doc_id!r} in {db}")
    if fmt == "json":
        click.echo(json.dumps(analysis.to_dict(), ensure_ascii=False))
    elif fmt == "text":
        click.echo(document["text"])
    else:
        print_analysis(document, analysis)


@cli.command()
@DB_OPTION
@click.option("--code", "codes", multiple=True, help="Only passages coded with this code (repeatable).")
@click.option("--speaker", help="Only quotes whose speaker name or mention contains this text.")
@click.option("--matrix", is_flag=True, help="Speakers by codes: how many of each speaker's quotes carry each code (quotes with a known speaker; merged entities share a row).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def themes(db, codes, speaker, matrix, fmt):
    """Coded quotes from the store: the codebook's codes found in each quote, with the speaker."""
    from ..render import print_rows

    with open_store(db, readonly=True) as store:
        known = store.theme_codes()
        unknown = [c for c in codes if c not in known]
        if unknown:
            fail(f"unknown code(s) {', '.join(unknown)}; codes in {db}: {', '.join(sorted(known)) or 'none'}")
        if matrix:
            table = store.theme_matrix(codes=codes, speaker=speaker)
            columns = [c["code"] for c in table["codes"]]
            rows = [{"speaker": r["speaker"], **{c: r["cells"].get(c, 0) for c in columns}} for r in table["rows"]]
            print_rows(rows, ["speaker", *columns], fmt, title="Quotes per speaker and code")
            return
        rows = store.coded_quotes(codes=codes, speaker=speaker)
    print_rows(rows, ["doc_id", "id", "speaker_name", "codes", "text"], fmt, title="Coded quotes")

