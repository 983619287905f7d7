"""Claims followed across a collection."""
