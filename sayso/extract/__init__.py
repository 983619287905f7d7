"""Extraction stages. Each module reads a parsed spaCy `Doc` (or its text) and returns model
objects with character offsets; `sayso.pipeline` wires them in as spaCy components."""
