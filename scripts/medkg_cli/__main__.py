"""``python -m medkg_cli``: the ``medkg`` command line."""

from medkg_cli.main import run

run()
