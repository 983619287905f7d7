"""Review in the browser: API and pages for accepting, rejecting, editing and adding facts
(placeholder: filled in by the review feature)."""
from __future__ import annotations


def install(app, db, allow_write: bool, reading, page, reviewers: str | None = None) -> None:
    """Add the review routes to `app`. `reviewers`: path of the reviewers file (names and hashed
    tokens), or None."""
