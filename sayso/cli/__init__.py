"""The `sayso` command line: one module per command group, each only parsing arguments, calling
the library and printing. Importing this package registers every command on `cli`."""
from . import cite, claims, export, facts, ingest, review, serve  # noqa: F401  (each registers its commands)
from .base import cli


def main():
    cli(prog_name="sayso")


__all__ = ["cli", "main"]
