"""Data package: the medkg OWL/RDFS schema, SHACL shapes and prefix map (installed as ``kg.ontologies``)."""
