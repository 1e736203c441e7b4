"""Places (platser): the names people type for where something happened, kept as records so
that lists, statistics and autocomplete agree on one spelling."""

from __future__ import annotations

from db.store import Store
from db.textutil import fold, swedish_sort_key


def place_names(store: Store, kommun: str | None = None) -> list[str]:
    """Known place names for autocomplete: the municipality's first, then the rest."""
    places = store.list("place")
    local = [p["name"] for p in places if kommun and p["kommun"] == kommun]
    other = [p["name"] for p in places if not (kommun and p["kommun"] == kommun)]
    ordered = sorted(set(local), key=swedish_sort_key) + sorted(
        set(other) - set(local), key=swedish_sort_key
    )
    return [name for name in ordered if name]


def place_id_for(store: Store, name: str, kommun: str | None) -> str:
    """The place called ``name`` (in ``kommun`` if there is one there), created if new."""
    candidates = [p for p in store.list("place") if fold(p["name"] or "") == fold(name)]
    local = [p for p in candidates if p["kommun"] == kommun]
    chosen = (local or candidates or [None])[0]
    if chosen is not None:
        return str(chosen["id"])
    return store.create("place", {"name": name, "kommun": kommun})
