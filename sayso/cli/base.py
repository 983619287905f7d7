"""What every command group shares: the `sayso` group itself, common options, errors and
opening the store."""
from __future__ import annotations

import sys

import click

from .. import __version__
from ..store import StoreError

DB_OPTION = click.option("--db", default="sayso.db", show_default=True, envvar="SAYSO_DB",
                         type=click.Path(dir_okay=False), help="SQLite database file (env SAYSO_DB).")
ALIASES_OPTION = click.option("--aliases", type=click.Path(exists=True, dir_okay=False),
                              help="YAML file of known name equivalences (IS = ISIS = Daesh ...).")
CUES_OPTION = click.option("--cues", type=click.Path(exists=True, dir_okay=False),
                           help="YAML cue lexicon replacing the shipped verbs and nouns of saying.")


CODEBOOK_OPTION = click.option("--codebook", type=click.Path(exists=True, dir_okay=False),
                               help="Research codebook YAML (default: the shipped joining/leaving codebook).")
SCORER_OPTION = click.option("--theme-scorer", type=click.Choice(["cues", "embeddings", "combined"]),
                             default="cues", show_default=True,
                             help="How codebook themes are found: cue words (default), sentence embeddings, or "
                                  "both; the last two need the extra: pip install 'sayso[embeddings]'.")
BELIEF_OPTION = click.option("--belief", is_flag=True,
                             help="Also attribute thoughts and beliefs (believe, think, fear ...), off by default.")


def fail(message: str) -> None:
    click.echo(f"sayso: error: {message}", err=True)
    sys.exit(1)


def open_store(db: str, readonly: bool):
    from ..store import Store

    try:
        return Store(db, readonly=readonly)
    except StoreError as err:
        fail(str(err))


def _settings(aliases, cues, belief=False, codebook=None, theme_scorer="cues") -> dict:
    if theme_scorer != "cues":
        from ..extract.semantic import available

        if not available():
            fail(f"--theme-scorer {theme_scorer} needs the embeddings extra: pip install 'sayso[embeddings]'")
    if codebook:
        from ..codebook import CodebookError, load

        try:
            load(codebook)
        except CodebookError as err:
            fail(str(err).replace("\n", "\nsayso: error: "))
    if theme_scorer == "cues":
        from ..extract.semantic import available

        hint = "" if available() else " (embeddings extra not installed)"
        click.echo(f"sayso: themes scored by cues{hint}", err=True)
    else:
        click.echo(f"sayso: themes scored by {theme_scorer}", err=True)
    settings = {"aliases": aliases, "cues": cues, "include_belief": belief, "codebook": codebook,
                "theme_scorer": theme_scorer if theme_scorer != "cues" else None}
    return {k: v for k, v in settings.items() if v}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sayso")
def cli():
    """sayso: who said what, where and how many, in news reports and interview transcripts.

    Analyse files directly with `sayso analyze`, or build a searchable collection with
    `sayso ingest` and query it with `quotes`, `speakers`, `search`, `show` and `export`.
    Every fact carries character offsets into the stored document text.
    """
