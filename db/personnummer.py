"""Swedish personal identity numbers (personnummer) and coordination numbers
(samordningsnummer), checked at the date of the event they belong to.

Accepted forms: ``YYYYMMDD-NNNC``, ``YYYYMMDDNNNC``, ``YYMMDD-NNNC``, ``YYMMDD+NNNC`` and
``YYMMDDNNNC``. With ten digits the century is the one that makes the person younger than
100 at the event date, or at least 100 with ``+``. A samordningsnummer has 60 added to the
day (61-91; 60 where the day of birth is unknown). The last digit is a Luhn check over the
ten digits YYMMDDNNN; the ninth digit is odd for men and even for women.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from db.errors import TryggError

_FORM = re.compile(r"^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{3})(\d)$")


class PersonnummerError(TryggError):
    """Why a personnummer was refused; ``key`` is one of the ``pnr.*`` messages."""


@dataclass(frozen=True)
class Personnummer:
    """A checked personnummer or samordningsnummer."""

    year: int
    month: int
    day: int  # 0 when a samordningsnummer does not give the day
    serial: str
    check: int
    samordning: bool

    @property
    def sex(self) -> str:
        """``man`` or ``kvinna`` (the ninth digit: odd for men, even for women)."""
        return "man" if int(self.serial[2]) % 2 else "kvinna"

    @property
    def birth_date(self) -> date:
        """The date of birth; when the day is unknown, the last day of the month, so the
        computed age is never higher than the true one."""
        day = self.day or calendar.monthrange(self.year, self.month)[1]
        return date(self.year, self.month, day)

    def age_at(self, when: date) -> int:
        """Age in whole years on ``when`` (a 29 February birthday counts from 1 March)."""
        born = self.birth_date
        return when.year - born.year - ((when.month, when.day) < (born.month, born.day))

    def canonical(self) -> str:
        """Twelve digits with a dash: ``YYYYMMDD-NNNC`` (day + 60 for samordningsnummer)."""
        day = self.day + 60 if self.samordning else self.day
        return f"{self.year:04d}{self.month:02d}{day:02d}-{self.serial}{self.check}"


def luhn_digit(digits: str) -> int:
    """The Luhn check digit for ``digits`` (weights 2, 1, 2, … from the left)."""
    total = 0
    for index, char in enumerate(digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


def parse_personnummer(text: str, at: date) -> Personnummer:
    """Check ``text`` as a personnummer for an event on ``at``.

    Raises :class:`PersonnummerError` with key ``pnr.format``, ``pnr.checksum``,
    ``pnr.serial``, ``pnr.date``, ``pnr.future`` or ``pnr.plus`` (a ``+`` on a person under 100).
    """
    compact = re.sub(r"\s+", "", text or "")
    match = _FORM.match(compact)
    if not match:
        raise PersonnummerError("pnr.format")
    century, yy, mm, dd, sep, serial, check = match.groups()
    month, raw_day = int(mm), int(dd)
    samordning = raw_day >= 60
    day = raw_day - 60 if samordning else raw_day

    if serial == "000":  # never issued
        raise PersonnummerError("pnr.serial")
    if luhn_digit(f"{yy}{mm}{dd}{serial}") != int(check):
        raise PersonnummerError("pnr.checksum")
    if not 1 <= month <= 12 or (day == 0 and not samordning):
        raise PersonnummerError("pnr.date")

    if century is not None:
        year = int(century + yy)
    else:
        year = (at.year // 100) * 100 + int(yy)
        # Compare as tuples: the date may not exist in the candidate year (29 February).
        if (year, month, day) > (at.year, at.month, at.day):
            year -= 100
        if sep == "+":
            year -= 100

    if day and day > _days_in_month(year, month):
        raise PersonnummerError("pnr.date")
    if year < 1800:
        raise PersonnummerError("pnr.date")
    if (year, month, day) > (at.year, at.month, at.day):
        raise PersonnummerError("pnr.future")

    number = Personnummer(year, month, day, serial, int(check), samordning)
    if century is not None and sep == "+" and number.age_at(at) < 100:
        raise PersonnummerError("pnr.plus")
    return number


def _days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


#: A personnummer written inside other text (six or eight digits, a sign, four digits).
_EMBEDDED = re.compile(r"(?<!\d)(?:\d{6}|\d{8})[-+ ]?\d{4}(?!\d)")


#: Only the forms no phone number takes: twelve digits from 19 or 20, or six and four
#: digits with a dash ("0701234567" may be either, and a tenth of mobile numbers would
#: pass the check digit).
_EMBEDDED_NOT_PHONE = re.compile(r"(?<!\d)(?:(?:19|20)\d{6}[-+ ]?\d{4}|\d{6}[-+]\d{4})(?!\d)")


def contains_personnummer(text: str | None, at: date, *, phone: bool = False) -> bool:
    """True if ``text`` holds a valid personnummer (or samordningsnummer) for an event on
    ``at``: a number typed in the wrong field (a name, a place), caught before it is
    saved where personal data does not belong. In a ``phone`` field only the forms no
    phone number takes count."""
    pattern = _EMBEDDED_NOT_PHONE if phone else _EMBEDDED
    for match in pattern.finditer(text or ""):
        try:
            parse_personnummer(match.group(0), at)
        except PersonnummerError:
            continue
        return True
    return False
