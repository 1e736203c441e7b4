"""Trygg's data core: schema, store, clock and journal, validation, interchange.

Nothing in this package imports Textual or anything from ``tui``/``screens``: the same code
serves the CLI, the TUI and the tests.
"""

from db.errors import TryggError, ValidationFailed
from db.store import Store

__all__ = ["Store", "TryggError", "ValidationFailed"]
