"""The ontology, SKOS schemes and SHACL shapes, shipped as package data (ofsted_kg.ontology)."""
