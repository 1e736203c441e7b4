"""SMART hints against the handbook's own table (seed 003, Steg 4): each formulation gets
the hints for what the handbook says it lacks."""

from __future__ import annotations

import pytest

from db.plans.smart import smart_hints

HANDBOOK = [
    ("Minska antalet brott", {"smart.no_number", "smart.no_time", "smart.no_place"}),
    ("Minska antalet anmälda brott från 100 till 0.", {"smart.no_time", "smart.no_place"}),
    (
        "Minska antalet anmälda cykelstölder på cykelparkeringen vid järnvägsstationen"
        " från 100 till 0.",
        {"smart.no_time"},
    ),
    (
        "Minska antalet anmälda cykelstölder på cykelparkeringen vid järnvägsstationen, med"
        " minst 10 stycken. Antal att jämföra med är 100.",
        {"smart.no_time"},
    ),
    (
        "Minska antalet anmälda cykelstölder på cykelparkeringen vid järnvägsstationen. De"
        " uppgick under år 2016 till 100 stycken och ska under år 2017 minska med minst 10"
        " stycken.",
        set(),
    ),
]


@pytest.mark.parametrize(("goal", "hints"), HANDBOOK)
def test_the_handbooks_examples(goal: str, hints: set[str]) -> None:
    assert set(smart_hints(goal)) == hints


def test_vague_verbs_and_time_words_that_are_not_places() -> None:
    assert "smart.vague_verb" in smart_hints("Verka för ökad trygghet i centrum under 2027")
    assert "smart.no_place" in smart_hints("Minst 12 tillsyner i år")
    assert smart_hints("") == [] and smart_hints(None) == []
