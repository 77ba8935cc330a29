"""User-facing errors: each carries a message fit to print as one line."""

from __future__ import annotations

from pathlib import Path


class OfstedKGError(Exception):
    """An error the user can act on; the CLI prints it without a traceback."""


class DocumentError(OfstedKGError):
    """A document could not be read or understood."""

    def __init__(self, path: Path | str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

    def __reduce__(self) -> tuple[type[DocumentError], tuple[str, str]]:
        # Sent back from the processes that read documents: rebuilt from its two parts, not its message.
        return (DocumentError, (self.path, self.reason))


class GraphError(OfstedKGError):
    """A built graph is missing or unreadable."""


class ShapesError(OfstedKGError):
    """The SHACL shapes themselves are unusable."""


class QueryError(OfstedKGError):
    """A query that cannot be run: unknown, malformed, refused, missing a parameter, or over a limit."""


class RefusedQuery(QueryError):
    """A query that may not run here: an update, SERVICE, FROM (the web endpoint answers 403)."""


class OutputError(OfstedKGError):
    """Where the user asked for output cannot take it: not a regular file, no such folder, a full disk."""
