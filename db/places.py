"""Places (platser): the names people type for where something happened, kept as records so
that lists, statistics and autocomplete agree on one spelling."""

from __future__ import annotations

from typing import Any

from db.coordinates import LatLon, distance_m, format_distance, format_latlon, format_sweref
from db.i18n import msg
from db.store import Store
from db.textutil import fold, swedish_sort_key


def place_names(store: Store, kommun: str | None = None) -> list[str]:
    """Known place names for autocomplete: the municipality's first, then the rest."""
    places = store.records("place")
    local = [p["name"] for p in places if kommun and p["kommun"] == kommun]
    other = [p["name"] for p in places if not (kommun and p["kommun"] == kommun)]
    ordered = sorted(set(local), key=swedish_sort_key) + sorted(
        set(other) - set(local), key=swedish_sort_key
    )
    return [name for name in ordered if name]


def place_id_for(store: Store, name: str, kommun: str | None) -> str:
    """The place called ``name`` (in ``kommun`` if there is one there), created if new."""
    candidates = [p for p in store.records("place") if fold(p["name"] or "") == fold(name)]
    local = [p for p in candidates if p["kommun"] == kommun]
    chosen = next(iter(local or candidates), None)
    if chosen is not None:
        return str(chosen["id"])
    return store.create("place", {"name": name, "kommun": kommun})


def located(place: dict[str, Any]) -> LatLon | None:
    """Where a place record lies, or None when it has no coordinates."""
    if place.get("lat") is None or place.get("lon") is None:
        return None
    return LatLon(float(place["lat"]), float(place["lon"]))


def nearest_place(
    store: Store, point: LatLon, *, exclude: str | None = None
) -> tuple[dict[str, Any], float] | None:
    """The known place nearest ``point`` and its distance in metres (places without
    coordinates, and ``exclude``, are passed over); None when no place has any."""
    best: tuple[dict[str, Any], float] | None = None
    for place in store.records("place"):
        where = located(place)
        if where is None or place["id"] == exclude:
            continue
        metres = distance_m(point, where)
        if best is None or metres < best[1]:
            best = (place, metres)
    return best


def position_words(
    store: Store, point: LatLon, lang: str | None = None, *, exclude: str | None = None
) -> str:
    """A position shown back as people check it: degrees, SWEREF 99 TM, and how far it
    lies from the nearest known place ("64.59570, 18.67560 · SWEREF 99 TM N 7168495,
    E 675868 · 40 m från Torget, Lycksele")."""
    text = msg("coords.shown", lang, degrees=format_latlon(point), grid=format_sweref(point))
    near = nearest_place(store, point, exclude=exclude)
    if near is not None:
        place, metres = near
        name = ", ".join(p for p in (place["name"], place.get("kommun")) if p)
        text += " · " + msg("coords.near", lang, distance=format_distance(metres), place=name)
    return text
