"""Swedish alphabetical order and visible control characters."""

from __future__ import annotations

from db.textutil import printable, swedish_sort_key


def test_accented_letters_sort_with_their_base_letter():
    names = ["Örebro", "Édouard", "Åre", "Zorn", "Eriksson", "Ängelholm", "Ebbe", "Émile"]
    assert sorted(names, key=swedish_sort_key) == [
        "Ebbe",
        "Édouard",
        "Émile",
        "Eriksson",
        "Zorn",
        "Åre",
        "Ängelholm",
        "Örebro",
    ]


def test_swedish_letters_come_after_z_and_case_is_ignored():
    names = ["ö", "Å", "a", "Z", "ä", "B", "Ü", "x"]
    assert sorted(names, key=swedish_sort_key) == ["a", "B", "x", "Ü", "Z", "Å", "ä", "ö"]


def test_names_differing_only_in_accent_keep_one_order():
    assert sorted(["Éva", "Eva"], key=swedish_sort_key) == sorted(
        ["Eva", "Éva"], key=swedish_sort_key
    )


def test_control_characters_become_visible():
    assert printable("a\x1b[31mb\x07") == "a␛[31mb␇"
