"""The ``medkg`` command line: one module per command group."""
