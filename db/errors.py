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
        """The explanation in ``lang`` (sv by default); a ``Phrase`` among the parameters
        is said in the same language."""
        params = {
            name: value.message(lang) if isinstance(value, Phrase) else value
            for name, value in self.params.items()
        }
        return msg(self.key, lang, **params)

    def __str__(self) -> str:
        return self.message("en")


@dataclass(frozen=True)
class Phrase:
    """Part of a message that is itself translated: a parameter said in the reader's
    language, not in the words of the code that found it."""

    key: str
    params: dict[str, object] = dataclasses.field(default_factory=dict)

    def message(self, lang: str | None = None) -> str:
        return msg(self.key, lang, **self.params)


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
