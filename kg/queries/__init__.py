"""Every Cypher and SPARQL text medkg runs lives in this package.

Queries take bound parameters only (``$name``); no value is ever formatted
into query text. Identifiers that are formatted in (node labels, relationship
types, property names) come from the schema enums in :mod:`kg.model`, never
from user input.
"""
