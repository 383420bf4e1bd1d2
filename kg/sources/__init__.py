"""Source loaders, each registered by name in :mod:`kg.sources.base`.

Importing this package imports every loader module so that the registry is
complete; the loaders read nothing until they are called. Order matters: it
is the default build order, and the first source to name a node gives its label.
"""

from kg.sources import (  # noqa: F401  (imported for registration)
    hpo,
    disease_ontology,
    pharmacotherapydb,
    drugcentral,
    hsdn,
    ddxplus,
    hetionet,
    drugcentral_classes,
    sider,
    drug_synonyms,
)
from kg.sources.base import SourceSpec, all_sources, get_source, register_source

__all__ = ["SourceSpec", "all_sources", "get_source", "register_source"]
