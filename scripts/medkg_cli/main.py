"""The ``medkg`` entry point: a click group with one module per command group.

Every :class:`kg.errors.MedKGError` is printed to stderr as ``error: ...`` and
exits with status 1; usage errors exit with 2 (click's convention).
"""

from __future__ import annotations

import sys

import click

from kg.errors import MedKGError
from medkg_cli.build_cmd import build_cmd, sources_cmd
from medkg_cli.diagnose_cmd import diagnose_cmd
from medkg_cli.embed_cmd import embed_cmd, link_cmd
from medkg_cli.extract_cmd import extract_cmd
from medkg_cli.llm_cmd import llm_group
from medkg_cli.push import push as push_cmd
from medkg_cli.query_cmd import query_cmd, stats_cmd
from medkg_cli.similar_cmd import similar_cmd
from medkg_cli.viz_cmd import viz_group


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="medkg")
def cli() -> None:
    """medkg: a medical knowledge graph (diseases, phenotypes, drugs) with evidence."""


cli.add_command(build_cmd)
cli.add_command(sources_cmd)
cli.add_command(query_cmd)
cli.add_command(stats_cmd)
cli.add_command(push_cmd)
cli.add_command(extract_cmd)
cli.add_command(embed_cmd)
cli.add_command(link_cmd)
cli.add_command(similar_cmd)
cli.add_command(diagnose_cmd)
cli.add_command(llm_group)
cli.add_command(viz_group)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit status."""
    try:
        cli.main(args=argv, prog_name="medkg", standalone_mode=False)
    except click.exceptions.Exit as e:
        return e.exit_code
    except click.ClickException as e:
        e.show()
        return e.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except MedKGError as e:
        click.echo(f"error: {e}", err=True)
        return 1
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    return 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
