"""Messages in both languages: a count of one takes the message's singular form."""

from __future__ import annotations

import pytest

from db.i18n import catalogue, msg, render


@pytest.mark.parametrize(
    ("lang", "one", "two"),
    [
        (
            "sv",
            "1 olöst konflikt – se trygg conflicts.",
            "2 olösta konflikter – se trygg conflicts.",
        ),
        (
            "en",
            "1 unresolved conflict – see trygg conflicts.",
            "2 unresolved conflicts – see trygg conflicts.",
        ),
    ],
)
def test_a_count_of_one_is_said_in_the_singular(lang: str, one: str, two: str) -> None:
    assert msg("doctor.conflicts", lang, count=1) == one
    assert msg("doctor.conflicts", lang, count=2) == two
    assert msg("doctor.conflicts", lang, count=0).startswith(
        "0 olösta" if lang == "sv" else "0 unres"
    )


def test_the_shown_count_of_a_list_line_chooses_too() -> None:
    one = render("tui", "sv", "findings.line", shown=1, status="öppna")
    assert one.startswith("1 anmärkning · ")
    assert render("tui", "sv", "findings.line", shown=11, status="öppna").startswith(
        "11 anmärkningar · "
    )
    # Still being counted: the placeholder is no number, so the usual form.
    assert render("tui", "sv", "findings.line", shown="…", status="öppna").startswith(
        "… anmärkningar · "
    )


def test_a_flag_is_not_a_count_and_a_message_without_a_singular_is_unchanged() -> None:
    assert render("tui", "sv", "findings.line", shown=True, status="x").startswith(
        "True anmärkningar"
    )
    assert render("tui", "sv", "home.journal", count=1) == "Ändringar i loggen: 1"


@pytest.mark.parametrize("package", ["db", "tui"])
def test_every_singular_belongs_to_a_message_with_the_same_placeholders(package: str) -> None:
    import string

    for lang in ("sv", "en"):
        messages = catalogue(package, lang)
        for key, text in messages.items():
            if not key.endswith(".one"):
                continue
            base = messages.get(key.removesuffix(".one"))
            assert base is not None, (lang, key)
            names = {n for _, n, _, _ in string.Formatter().parse(text) if n}
            assert names == {n for _, n, _, _ in string.Formatter().parse(base) if n}, key
            assert names & {"count", "shown"}, key


def test_a_message_counting_several_things_says_each_in_its_number() -> None:
    one_each = render("tui", "sv", "receive.done", files=1, new=1, fields=1, conflicts=1)
    assert one_each == "Inläst: 1 fil, 1 ny post, 1 ändrat fält, 1 ny konflikt."
    mixed = render("tui", "sv", "receive.done", files=2, new=0, fields=1, conflicts=3)
    assert mixed == "Inläst: 2 filer, 0 nya poster, 1 ändrat fält, 3 nya konflikter."
    english = render("tui", "en", "receive.done", files=1, new=2, fields=1, conflicts=0)
    assert english == "Taken in: 1 file, 2 new records, 1 changed field, 0 new conflicts."
    # A figure not yet counted, or hours with a fraction, take the usual form.
    line = render("tui", "sv", "stats_screen.line", period="nov", reports="…", individuals=1)
    assert line.startswith("nov: … rapporter, 1 ungdom ·")
    assert "1.5 timmar loggade" in render(
        "tui", "sv", "plan.summary", measures=1, behind=0, hours=1.5
    )


@pytest.mark.parametrize("package", ["db", "tui"])
def test_every_word_for_a_count_has_two_forms_after_its_number(package: str) -> None:
    """``{n:one|many}`` has exactly two forms, and the number itself is shown too."""
    import string

    for lang in ("sv", "en"):
        for key, text in catalogue(package, lang).items():
            fields = [(n, spec) for _, n, spec, _ in string.Formatter().parse(text) if n]
            for name, spec in fields:
                if spec and "|" in spec:
                    assert spec.count("|") == 1 and all(spec.split("|")), (lang, key)
                    assert (name, "") in fields, (lang, key, name)
