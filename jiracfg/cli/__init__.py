"""The ``jiracfg`` command: a click group; each command lives in its own module.

``main`` only dispatches; errors derived from JiracfgError print their message and hint (never a
traceback, which could carry secrets; secrets registered with the client are redacted) and
exit 1.
"""

from __future__ import annotations

import os
import sys

import click

from jiracfg.client import redact
from jiracfg.errors import JiracfgError

COMMAND_MODULES = (
    "sandbox",
    "export",
    "validate",
    "fmt",
    "plan",
    "apply",
    "show",
    "diff",
    "verify",
)


class JiracfgGroup(click.Group):
    """Turns JiracfgError into its message and hint on stderr and exit code 1 (no traceback)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except JiracfgError as exc:
            click.secho(redact(f"Error: {exc}"), fg="red", err=True)
            ctx.exit(1)


@click.group(
    cls=JiracfgGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(package_name="jiracfg")
def cli() -> None:
    """Put a whole Jira Cloud instance under git: export, validate, plan, apply.

    \b
    Shell completion (bash; zsh and fish likewise):
      eval "$(_JIRACFG_COMPLETE=bash_source jiracfg)"
    """


def _register() -> None:
    import importlib

    for name in COMMAND_MODULES:
        module = importlib.import_module(f"jiracfg.cli.{name}")
        cli.add_command(module.command)


_register()


def main() -> None:
    try:
        code = cli.main(standalone_mode=False)  # returns the code of a ctx.exit(code)
        if isinstance(code, int) and code:
            sys.exit(code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(1 if exc.exit_code == 2 else exc.exit_code)
    except click.exceptions.Abort as exc:
        interrupted = isinstance(exc.__context__, KeyboardInterrupt)
        click.echo("Interrupted." if interrupted else "Aborted.", err=True)
        sys.exit(130 if interrupted else 1)
    except JiracfgError as exc:
        click.secho(redact(f"Error: {exc}"), fg="red", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except Exception as exc:  # no traceback by default: it could show request details
        if os.environ.get("JIRACFG_DEBUG"):
            raise
        click.secho(redact(f"Internal error: {type(exc).__name__}: {exc}"), fg="red", err=True)
        click.echo(
            "  hint: this is a bug in jiracfg; rerun with JIRACFG_DEBUG=1 and report it", err=True
        )
        sys.exit(1)
