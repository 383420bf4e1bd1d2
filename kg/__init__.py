"""medkg's knowledge graph: schema, sources, build, stores.

Nothing here reads the environment or touches the network at import time.
"""

__all__: list[str] = []
