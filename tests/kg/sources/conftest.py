"""Fixtures shared by the source-loader tests: contract checks on a loaded source."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kg.model import ENDPOINTS, Edge, Node, SourceData


def check_integrity(data: SourceData) -> tuple[dict[str, Node], list[Edge]]:
    """Assert the general contract of a loaded source; return its nodes by id and its edges.

    Checks: unique node ids, every edge endpoint is a node of the source, endpoint
    types allowed by the predicate, ``source`` set on every node and edge,
    ``source_version`` left to the builder, the files and version filled in.
    """
    nodes: dict[str, Node] = {}
    for n in data.nodes:
        assert n.id not in nodes, f"duplicate node {n.id}"
        assert n.source == data.name
        nodes[n.id] = n
    for e in data.edges:
        assert e.source == data.name
        assert e.source_version is None
        assert e.subject in nodes, f"dangling subject {e.subject}"
        assert e.object in nodes, f"dangling object {e.object}"
        pair = (nodes[e.subject].type, nodes[e.object].type)
        assert pair in ENDPOINTS[e.predicate], f"{e} has endpoint types {pair}"
    assert data.version
    assert data.files
    assert data.license
    return nodes, data.edges


def edge_index(edges: list[Edge]) -> dict[tuple[str, str, str], Edge]:
    """Edges by (subject, predicate, object)."""
    return {(e.subject, e.predicate.value, e.object): e for e in edges}


@pytest.fixture(scope="session")
def check() -> Callable[[SourceData], tuple[dict[str, Node], list[Edge]]]:
    """The :func:`check_integrity` function."""
    return check_integrity


@pytest.fixture(scope="session")
def index() -> Callable[[list[Edge]], dict[tuple[str, str, str], Edge]]:
    """The :func:`edge_index` function."""
    return edge_index
