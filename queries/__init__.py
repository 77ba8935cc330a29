"""Saved SPARQL queries, shipped as package data (ofsted_kg.queries)."""
