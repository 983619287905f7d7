"""Claims across the collection in the browser: clusters of repeated quotes and grouped counts
(placeholder: filled in by the claims feature)."""
from __future__ import annotations


def install(app, reading, page) -> None:
    """Add the claims pages and API to `app`."""
