"""Coordinates as people have them: SWEREF 99 TM against Lantmäteriet's published control
points both ways, decimal degrees as typed, map links from phones, and the nearest known
place shown back."""

from __future__ import annotations

import pytest

from db.coordinates import (
    CoordinateError,
    Grid,
    LatLon,
    coordinate_fields,
    distance_m,
    format_sweref,
    from_sweref99tm,
    read_coordinates,
    to_sweref99tm,
)
from db.places import nearest_place, position_words
from db.store import Store


def dms(degrees: int, minutes: int, seconds: float) -> float:
    return degrees + minutes / 60 + seconds / 3600


#: Lantmäteriet, "Kontrollpunkter RT 90 ↔ SWEREF 99", I-divisionen Geodesi, 2006-05-03
#: (points A–D: SWEREF 99 latitude/longitude and their SWEREF 99 TM grid coordinates,
#: quoted to 0.000001" and 1 mm; the same figures are used by the test suites of
#: open-source Swedish coordinate libraries).
CONTROL_POINTS = {
    "A": (dms(67, 5, 26.452769), dms(21, 2, 5.101575), 7454204.638, 761811.242),
    "B": (dms(63, 32, 14.761735), dms(16, 14, 59.594626), 7046077.605, 562140.337),
    "C": (dms(60, 9, 33.882413), dms(14, 45, 28.167152), 6669189.376, 486557.055),
    "D": (dms(56, 21, 17.199245), dms(13, 52, 23.754022), 6246136.458, 430374.835),
}


@pytest.mark.parametrize("name", sorted(CONTROL_POINTS))
def test_sweref99tm_forward_matches_lantmateriet(name: str) -> None:
    lat, lon, north, east = CONTROL_POINTS[name]
    grid = to_sweref99tm(LatLon(lat, lon))
    assert grid.north == pytest.approx(north, abs=0.001)
    assert grid.east == pytest.approx(east, abs=0.001)


@pytest.mark.parametrize("name", sorted(CONTROL_POINTS))
def test_sweref99tm_inverse_matches_lantmateriet(name: str) -> None:
    lat, lon, north, east = CONTROL_POINTS[name]
    point = from_sweref99tm(Grid(north, east))
    # 0.0001" is about 3 mm on the ground.
    assert point.lat == pytest.approx(lat, abs=0.0001 / 3600)
    assert point.lon == pytest.approx(lon, abs=0.0001 / 3600)


def test_a_point_typed_in_sweref_is_read_back_as_degrees() -> None:
    lat, lon, north, east = CONTROL_POINTS["B"]
    for text in (
        f"N {north}, E {east}",
        f"{north} {east}",
        f"{east} {north}",  # the order does not matter: the northing has seven digits
        "N 7 046 077,605  E 562 140,337",  # Swedish print: spaces and decimal commas
        "7046077.605, 562140.337",
    ):
        point = read_coordinates(text)
        assert distance_m(point, LatLon(lat, lon)) < 0.01, text


def test_stockholm_central_station_as_published() -> None:
    # MightyLittleGeodesy's test pair (from Eniro's map): 59.330231, 18.059196 is
    # SWEREF 99 TM N 6580822, E 674032, to the metre.
    grid = to_sweref99tm(LatLon(59.330231, 18.059196))
    assert (round(grid.north), round(grid.east)) == (6580822, 674032)
    assert format_sweref(LatLon(59.330231, 18.059196)) == "N 6580822, E 674032"


LYCKSELE = LatLon(64.5953, 18.671)


@pytest.mark.parametrize(
    "text",
    [
        "64.5953, 18.6710",
        "64,5953 18,6710",
        "64,5953, 18,6710",
        "64.5953 18.6710",
        "64.5953;18.6710",
        "N 64.5953 E 18.6710",
        "64.5953N 18.6710E",
        "64.5953° N, 18.6710° E",
        "E 18.6710, N 64.5953",
        "lat 64.5953 lon 18.6710",
        "18.6710, 64.5953",  # longitude first, as GeoJSON writes it
        "64°35'43.08\"N 18°40'15.6\"E",  # what Google Maps shows for a dropped pin
        "64° 35,718' N, 18° 40,26' Ö",
        "  64.5953,\u00a018.6710  ",
    ],
)
def test_decimal_degrees_as_typed(text: str) -> None:
    point = read_coordinates(text)
    assert distance_m(point, LYCKSELE) < 1.0, (text, point)


@pytest.mark.parametrize(
    "link",
    [
        "https://www.google.com/maps?q=64.5953,18.6710",
        "https://maps.google.com/?q=64.5953,18.671&z=16",
        "https://www.google.com/maps/search/?api=1&query=64.5953%2C18.6710",
        "https://www.google.com/maps/@64.5953,18.671,17z",
        "https://www.google.se/maps/place/Torget/@64.59,18.66,15z/data=!3m1!4b1!4m6!3m5"
        "!1s0x0:0x0!8m2!3d64.5953!4d18.671",
        "geo:64.5953,18.6710",
        "geo:64.5953,18.6710?z=17",
        "https://maps.apple.com/?ll=64.5953,18.6710&q=Torget",
        "https://maps.apple.com/?q=64.5953,18.6710",
        "https://www.openstreetmap.org/#map=17/64.5953/18.6710",
        "https://www.openstreetmap.org/?mlat=64.5953&mlon=18.6710#map=17/64.59/18.67",
        "<https://www.google.com/maps?q=64.5953,18.6710>",
    ],
)
def test_map_links_copied_from_a_phone(link: str) -> None:
    assert distance_m(read_coordinates(link), LYCKSELE) < 1.0, link


def test_a_google_place_link_gives_the_pin_not_the_map_centre() -> None:
    link = "https://www.google.com/maps/place/X/@64.50,18.50,12z/data=!4m5!3d64.5953!4d18.671"
    assert distance_m(read_coordinates(link), LYCKSELE) < 1.0


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "coords.empty"),
        ("Torget", "coords.unreadable"),
        ("64.5953", "coords.unreadable"),
        ("64.5953, 18.6710, 12", "coords.unreadable"),
        ("https://maps.app.goo.gl/AbCdEf123", "coords.short_link"),
        ("https://goo.gl/maps/AbCdEf", "coords.short_link"),
        ("https://www.google.com/maps/place/Torget+Lycksele", "coords.link_without_position"),
        ("7453389.762, 1727060.905", "coords.rt90"),
        ("1234567, 2345678", "coords.not_sweref"),
        ("95.1, 18.2", "coords.out_of_range"),
        ("64°75'00\"N 18°10'00\"E", "coords.unreadable"),
    ],
)
def test_what_is_not_a_position_is_refused_with_a_sentence(text: str, key: str) -> None:
    with pytest.raises(CoordinateError) as caught:
        read_coordinates(text)
    assert caught.value.key == key
    for lang in ("sv", "en"):
        sentence = caught.value.message(lang)
        assert sentence != key and "{" not in sentence


def test_the_form_hook_gives_fields_rounded_as_stored() -> None:
    assert coordinate_fields("") == {"lat": None, "lon": None}
    assert coordinate_fields("  ") == {"lat": None, "lon": None}
    fields = coordinate_fields("N 7046077.605, E 562140.337")
    assert fields == {"lat": 63.537434, "lon": 16.249887}
    with pytest.raises(CoordinateError):
        coordinate_fields("nära kiosken")


def test_shown_back_with_the_nearest_known_place(store: Store) -> None:
    torget = store.create(
        "place", {"name": "Torget", "kommun": "Lycksele", "lat": 64.5957, "lon": 18.6756}
    )
    store.create(
        "place", {"name": "Järnvägsstationen", "kommun": "Lycksele", "lat": 64.5947, "lon": 18.6633}
    )
    store.create("place", {"name": "Utan koordinater", "kommun": "Lycksele"})
    near = nearest_place(store, LatLon(64.5960, 18.6760))
    assert near is not None and near[0]["id"] == torget
    assert 30 < near[1] < 50
    words = position_words(store, LatLon(64.5960, 18.6760), "sv")
    assert (
        words
        == "64.59600, 18.67600 · SWEREF 99 TM N 7168530, E 675885 · 40 m från Torget, Lycksele"
    )
    other = nearest_place(store, LatLon(64.5960, 18.6760), exclude=torget)
    assert other is not None and other[0]["name"] == "Järnvägsstationen"
