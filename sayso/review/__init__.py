"""Human review of extracted facts: people accept, reject, edit and add quotes and merge, split
and rename entities; sayso keeps their word. Decisions live in the `decisions` table, anchored
to the document's text hash and the fact's span and kind; `reviewed_quotes` (a view, see
schema.sql) is the reviewed state every reader uses."""
from .decisions import (KINDS, STATUSES, ReviewError, StaleError, add, decide, default_reviewer, history,
                        merge_entities, rename_entity, split_entity)
from .view import count, document_quotes, ensure_view, orphaned, quotes, review_of, reviewed_analysis, speaker_names

__all__ = ["KINDS", "STATUSES", "ReviewError", "StaleError", "add", "decide", "default_reviewer", "history",
           "merge_entities", "rename_entity", "split_entity", "document_quotes", "ensure_view", "orphaned",
           "quotes", "count", "review_of", "reviewed_analysis", "speaker_names"]
