"""Every command and every option of the CLI is documented in the README."""
import re

import click
import pytest

from sayso.cli import cli

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_and_its_options_are_in_the_readme(name):
    assert f"sayso {name}" in README
    command = cli.commands[name]
    for param in command.params:
        if isinstance(param, click.Option):
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help":
                    assert re.search(rf"`[^`]*sayso {name}[^`]*{re.escape(opt)}", README), \
                        f"{opt} of `sayso {name}` is not in the README"


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_test_one():
    block = README.split("## Quick start", 1)[1].split("## ", 1)[0]
    commands = re.findall(r"```\n(.+?)\n```", block)
    assert len(commands) == 2
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci
