"""Saved SPARQL queries, shipped as package data (ofsted_kg.query_files)."""
