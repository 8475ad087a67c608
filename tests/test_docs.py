"""The README documents every setting and command."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from assess.config import DEFAULTS

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
OPERATIONS = (Path(__file__).parent.parent / "docs" / "operations.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", [*DEFAULTS, "SECRET_KEY"])
def test_every_setting_is_documented(setting):
    assert f"| `{setting}` |" in README


@pytest.mark.parametrize("setting", [*DEFAULTS, "SECRET_KEY"])
def test_the_production_guide_says_what_to_do_with_every_setting(setting):
    assert f"`{setting}`" in OPERATIONS.split("## Configure", 1)[1].split("\n## ", 1)[0]


def _our_commands(app) -> set[str]:
    names = set()
    for name, command in app.cli.commands.items():
        if isinstance(command, click.Group):
            names |= {f"{name} {sub}" for sub in command.commands}
        elif command.callback.__module__.startswith("assess"):
            names.add(name)
    return names


def test_every_command_is_documented(app):
    ours = _our_commands(app)
    assert ours >= {"init-db", "create-user", "demo", "score", "questionnaire check"}
    for name in ours:
        assert f"| `{name}` |" in README, name


def test_readme_quick_start_has_the_two_commands():
    assert "make run" in README and "make test" in README
