"""Turning what someone types into a search box into a Postgres full-text query (the tickets
and the tasks lists search the same way)."""

import re

_HAS_WORD = re.compile(r"\w", re.UNICODE)
MAX_TERMS = 12
MAX_TERM_LENGTH = 100


def prefix_tsquery(text: str) -> str | None:
    """Every whitespace-separated term must match, each as a prefix (`inv` finds `invoice`).
    Terms are quoted lexemes, so tsquery operators in them are plain text; Postgres' parser
    splits a term like `HR-2` the way it split the indexed text, as a phrase. None when no term
    has a word character."""
    terms = [t[:MAX_TERM_LENGTH] for t in text.split() if _HAS_WORD.search(t)][:MAX_TERMS]
    if not terms:
        return None
    quoted = ("'" + term.replace("\\", "\\\\").replace("'", "''") + "':*" for term in terms)
    return " & ".join(quoted)
