"""Errors the data core raises. Each carries a message key and parameters, not text,
so the caller renders it in the user's language."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from db.i18n import msg


class TryggError(Exception):
    """An expected failure with a clear, translatable one-sentence explanation."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str | None = None) -> str:
        """The explanation in ``lang`` (sv by default)."""
        return msg(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.message("en")


@dataclass(frozen=True)
class FieldProblem:
    """One reason a value was refused: which field, which message key, which parameters."""

    field: str
    key: str
    params: dict[str, object] = dataclasses.field(default_factory=dict)

    def message(self, lang: str | None = None) -> str:
        return msg(self.key, lang, **self.params)


class ValidationFailed(TryggError):
    """A record did not pass validation; ``problems`` lists every reason."""

    def __init__(self, rtype: str, problems: list[FieldProblem]) -> None:
        super().__init__("validation.failed", count=len(problems))
        self.rtype = rtype
        self.problems = problems

    def message(self, lang: str | None = None) -> str:
        from db.records import field_label

        parts = [
            f"{field_label(self.rtype, p.field, lang)}: {p.message(lang)}" for p in self.problems
        ]
        return "; ".join(parts)
