"""Coordinates as people have them: decimal degrees typed or pasted from a phone, a map
link, degrees-minutes-seconds, or SWEREF 99 TM metres from a municipal map.

Trygg stores a position as WGS 84 latitude and longitude in decimal degrees (the ``lat``
and ``lon`` fields of places and findings), rounded to six decimals (about 0.1 m).
SWEREF 99 is the Swedish realisation of ETRS 89 and agrees with WGS 84 to within about
half a metre, which is far below what a safety walk needs, so SWEREF 99 TM grid
coordinates are converted to latitude and longitude with Lantmäteriet's Gauss–Krüger
formulas (GRS 80, central meridian 15°, scale 0.9996, false easting 500 000 m) and
nothing more. The same projection gives the maps their metres.

Nothing here needs a network: a short link (``maps.app.goo.gl/…``) names no position
until a server is asked, and is refused with a sentence saying so.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from db.errors import TryggError

#: Decimals kept when a position is stored (six: about 0.1 m).
STORED_DECIMALS = 6

# -- SWEREF 99 TM: Gauss–Krüger on GRS 80 (Lantmäteriet, "Gauss Konforma Projektion") --

_A = 6378137.0  # GRS 80 semi-major axis (m)
_F = 1 / 298.257222101  # GRS 80 flattening
_LON0 = math.radians(15.0)
_K0 = 0.9996
_FALSE_NORTHING = 0.0
_FALSE_EASTING = 500_000.0

_E2 = _F * (2 - _F)
_N = _F / (2 - _F)
_A_HAT = _A / (1 + _N) * (1 + _N**2 / 4 + _N**4 / 64)
# Geodetic latitude → conformal latitude.
_CA = _E2
_CB = (5 * _E2**2 - _E2**3) / 6
_CC = (104 * _E2**3 - 45 * _E2**4) / 120
_CD = 1237 * _E2**4 / 1260
# Conformal latitude → geodetic latitude.
_CA_INV = _E2 + _E2**2 + _E2**3 + _E2**4
_CB_INV = -(7 * _E2**2 + 17 * _E2**3 + 30 * _E2**4) / 6
_CC_INV = (224 * _E2**3 + 889 * _E2**4) / 120
_CD_INV = -4279 * _E2**4 / 1260
_BETA = (
    _N / 2 - 2 * _N**2 / 3 + 5 * _N**3 / 16 + 41 * _N**4 / 180,
    13 * _N**2 / 48 - 3 * _N**3 / 5 + 557 * _N**4 / 1440,
    61 * _N**3 / 240 - 103 * _N**4 / 140,
    49561 * _N**4 / 161280,
)
_DELTA = (
    _N / 2 - 2 * _N**2 / 3 + 37 * _N**3 / 96 - _N**4 / 360,
    _N**2 / 48 + _N**3 / 15 - 437 * _N**4 / 1440,
    17 * _N**3 / 480 - 37 * _N**4 / 840,
    4397 * _N**4 / 161280,
)


@dataclass(frozen=True)
class LatLon:
    """A position in WGS 84 (≈ SWEREF 99) decimal degrees."""

    lat: float
    lon: float


@dataclass(frozen=True)
class Grid:
    """A position in SWEREF 99 TM: northing and easting in metres."""

    north: float
    east: float


def to_sweref99tm(point: LatLon) -> Grid:
    """Latitude and longitude → SWEREF 99 TM (Gauss–Krüger forward formulas)."""
    phi = math.radians(point.lat)
    dlon = math.radians(point.lon) - _LON0
    s = math.sin(phi)
    conformal = phi - s * math.cos(phi) * (_CA + _CB * s**2 + _CC * s**4 + _CD * s**6)
    xi = math.atan2(math.tan(conformal), math.cos(dlon))
    eta = math.atanh(math.cos(conformal) * math.sin(dlon))
    north = xi + sum(
        b * math.sin(2 * k * xi) * math.cosh(2 * k * eta) for k, b in enumerate(_BETA, start=1)
    )
    east = eta + sum(
        b * math.cos(2 * k * xi) * math.sinh(2 * k * eta) for k, b in enumerate(_BETA, start=1)
    )
    return Grid(
        _K0 * _A_HAT * north + _FALSE_NORTHING,
        _K0 * _A_HAT * east + _FALSE_EASTING,
    )


def from_sweref99tm(grid: Grid) -> LatLon:
    """SWEREF 99 TM → latitude and longitude (Gauss–Krüger inverse formulas)."""
    xi = (grid.north - _FALSE_NORTHING) / (_K0 * _A_HAT)
    eta = (grid.east - _FALSE_EASTING) / (_K0 * _A_HAT)
    xi1 = xi - sum(
        d * math.sin(2 * k * xi) * math.cosh(2 * k * eta) for k, d in enumerate(_DELTA, start=1)
    )
    eta1 = eta - sum(
        d * math.cos(2 * k * xi) * math.sinh(2 * k * eta) for k, d in enumerate(_DELTA, start=1)
    )
    conformal = math.asin(math.sin(xi1) / math.cosh(eta1))
    dlon = math.atan2(math.sinh(eta1), math.cos(xi1))
    s = math.sin(conformal)
    phi = conformal + s * math.cos(conformal) * (
        _CA_INV + _CB_INV * s**2 + _CC_INV * s**4 + _CD_INV * s**6
    )
    return LatLon(math.degrees(phi), math.degrees(_LON0 + dlon))


# -- distances and words -------------------------------------------------------------------

_EARTH_RADIUS_M = 6_371_008.8


def distance_m(a: LatLon, b: LatLon) -> float:
    """Great-circle distance in metres (haversine; plenty for places within a town)."""
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi = phi2 - phi1
    dlam = math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * _EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def format_latlon(point: LatLon) -> str:
    """ "64.59530, 18.67560" — five decimals, about a metre."""
    return f"{point.lat:.5f}, {point.lon:.5f}"


def format_sweref(point: LatLon) -> str:
    """ "N 7166993, E 753847" — whole metres, the way municipal maps print them."""
    grid = to_sweref99tm(point)
    return f"N {grid.north:.0f}, E {grid.east:.0f}"


def format_distance(metres: float) -> str:
    """ "40 m", "1,2 km" — for "near Torget" lines."""
    if metres < 1000:
        return f"{round(metres / 10) * 10:.0f} m" if metres >= 20 else f"{metres:.0f} m"
    return f"{metres / 1000:.1f} km".replace(".", ",")


def stored(point: LatLon) -> dict[str, float]:
    """The ``lat``/``lon`` fields for ``point``, rounded as Trygg stores them."""
    return {
        "lat": round(point.lat, STORED_DECIMALS),
        "lon": round(point.lon, STORED_DECIMALS),
    }


# -- reading what people paste ----------------------------------------------------------------


class CoordinateError(TryggError):
    """Text that is not a usable position (a ``coords.*`` message key)."""


#: Roughly Sweden, with a margin: used to recognise latitude and longitude given the
#: wrong way round (GeoJSON and some GIS tools write longitude first).
SWEDEN_LAT = (55.0, 69.5)
SWEDEN_LON = (10.0, 24.5)
#: SWEREF 99 TM over Sweden, with a margin.
SWEREF_NORTH = (6_000_000.0, 7_800_000.0)
SWEREF_EAST = (150_000.0, 1_000_000.0)
#: RT 90 2.5 gon V eastings (the old national grid) start at 1 200 000 m.
RT90_EAST = (1_200_000.0, 1_950_000.0)

_SHORT_LINK = re.compile(r"(goo\.gl|g\.co|maps\.app|bit\.ly|t\.co)/", re.IGNORECASE)
_NUMBER = r"[-+]?\d+(?:[.,]\d+)?"
_PAIR = re.compile(rf"^\s*({_NUMBER})\s*,\s*({_NUMBER})")
_HEMISPHERES = {"n": "n", "s": "s", "e": "e", "ö": "e", "o": "e", "w": "w", "v": "w"}


def read_coordinates(text: str) -> LatLon:
    """The position in ``text``, whatever way it was written.

    Understands decimal degrees ("64.5953, 18.6710", "64,5953 18,6710", "N 64.5953°
    E 18.6710°", "64.5953N 18.6710E"), degrees and minutes or seconds ("64°35'43.1\"N
    18°40'15.6\"E"), map links (Google Maps ``?q=`` / ``query=`` / ``/@lat,lon`` /
    ``!3d…!4d…``, ``geo:lat,lon``, Apple Maps ``ll=`` / ``q=``, OpenStreetMap
    ``#map=z/lat/lon`` or ``mlat=``/``mlon=``), and SWEREF 99 TM ("N 7167001, E 753827",
    "7 167 001 753 827", either order). Latitude and longitude given the wrong way round
    are turned when only the turned pair lies in Sweden. Raises CoordinateError.
    """
    raw = _clean(text)
    if not raw:
        raise CoordinateError("coords.empty")
    if _looks_like_link(raw):
        return _checked(_from_link(raw))
    return _checked(_from_text(raw))


def coordinate_fields(text: str) -> dict[str, float | None]:
    """The hook for forms: the ``lat``/``lon`` fields for what was typed in one
    "Koordinater" field (both None when it is empty). Raises CoordinateError, whose
    ``key`` and ``params`` make a FieldProblem for ``lat``."""
    if not (text or "").strip():
        return {"lat": None, "lon": None}
    return {**stored(read_coordinates(text))}


def _clean(text: str) -> str:
    value = unquote((text or "").strip().strip("<>\"'"))
    for old, new in (
        ("\u2212", "-"),  # minus sign
        ("\u2032", "'"),  # prime
        ("\u2019", "'"),
        ("\u00b4", "'"),
        ("\u2033", '"'),  # double prime
        ("\u201d", '"'),
        ("''", '"'),
        ("\u00a0", " "),
        ("\u202f", " "),
        ("º", "°"),
    ):
        value = value.replace(old, new)
    return " ".join(value.split())


def _looks_like_link(raw: str) -> bool:
    lowered = raw.lower()
    return (
        "://" in lowered
        or lowered.startswith(("geo:", "www.", "maps.", "google.", "openstreetmap."))
        or bool(_SHORT_LINK.search(lowered))
    )


def _from_link(raw: str) -> LatLon:
    if _SHORT_LINK.search(raw):
        raise CoordinateError("coords.short_link")
    if raw.lower().startswith("geo:"):
        found = _PAIR.match(raw[4:])
        if found:
            return _degrees(found.group(1), found.group(2))
        raise CoordinateError("coords.link_without_position")
    # A Google place link's pin (!3d lat !4d lon) is where the place is; the @ part is
    # only where the map was centred, so the pin wins.
    pin = re.search(rf"!3d({_NUMBER})!4d({_NUMBER})", raw)
    if pin:
        return _degrees(pin.group(1), pin.group(2))
    parts = urlsplit(raw if "://" in raw else "https://" + raw)
    query = parse_qs(parts.query)
    if "mlat" in query and "mlon" in query:
        return _degrees(query["mlat"][0], query["mlon"][0])
    for name in ("q", "query", "ll", "sll", "daddr", "destination", "center", "coordinate"):
        for value in query.get(name, []):
            found = _PAIR.match(re.sub(r"^loc:", "", value.replace("+", " ").strip()))
            if found:
                return _degrees(found.group(1), found.group(2))
    at = re.search(rf"/@({_NUMBER}),({_NUMBER})", parts.path)
    if at:
        return _degrees(at.group(1), at.group(2))
    osm = re.search(rf"map=\d+(?:\.\d+)?/({_NUMBER})/({_NUMBER})", parts.fragment or raw)
    if osm:
        return _degrees(osm.group(1), osm.group(2))
    raise CoordinateError("coords.link_without_position")


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _degrees(lat: str, lon: str) -> LatLon:
    return LatLon(_number(lat), _number(lon))


_DMS = re.compile(
    r"([NSEWÖV])?\s*(\d{1,3}(?:[.,]\d+)?)\s*°\s*"
    r"(?:(\d{1,2}(?:[.,]\d+)?)\s*'\s*)?"
    r"(?:(\d{1,2}(?:[.,]\d+)?)\s*\"\s*)?"
    r"([NSEWÖV])?",
    re.IGNORECASE,
)


def _from_text(raw: str) -> LatLon:
    if "°" in raw or "'" in raw or '"' in raw:
        return _from_dms(raw)
    letters = [
        _HEMISPHERES[c] for c in re.findall(r"(?<![a-zåäö])([nsewöv])(?![a-zåäö])", raw.lower())
    ]
    numbers = re.findall(_NUMBER, raw)
    if len(numbers) != 2:
        # Swedish print groups thousands with spaces: "N 7 167 001, E 753 827".
        grouped = re.findall(r"\d{1,3}(?: \d{3})+(?:[.,]\d+)?|" + _NUMBER, raw)
        numbers = [n.replace(" ", "") for n in grouped]
        if len(numbers) == 1 and re.fullmatch(r"\d{13}", numbers[0]):
            # "7 167 001 753 827": a seven-digit northing and a six-digit easting, or
            # the other way round.
            digits = numbers[0]
            numbers = [digits[:7], digits[7:]] if digits[0] in "67" else [digits[:6], digits[6:]]
    if len(numbers) != 2:
        raise CoordinateError("coords.unreadable", text=raw[:60])
    first, second = (_number(n) for n in numbers)
    if abs(first) > 1000 or abs(second) > 1000:
        return _from_grid(first, second)
    return _ordered(first, second, letters)


def _from_dms(raw: str) -> LatLon:
    values: list[tuple[float, str | None]] = []
    for match in _DMS.finditer(raw):
        before, deg, minutes, seconds, after = match.groups()
        value = _number(deg) + _number(minutes or "0") / 60 + _number(seconds or "0") / 3600
        if (minutes and _number(minutes) >= 60) or (seconds and _number(seconds) >= 60):
            raise CoordinateError("coords.unreadable", text=raw[:60])
        letter = (after or before or "").lower()
        values.append((value, _HEMISPHERES.get(letter) if letter else None))
    if len(values) != 2:
        raise CoordinateError("coords.unreadable", text=raw[:60])
    (a, la), (b, lb) = values
    letters = [x for x in (la, lb) if x]
    if len(letters) == 2 or not letters:
        return _ordered(a, b, letters)
    raise CoordinateError("coords.unreadable", text=raw[:60])


def _ordered(first: float, second: float, letters: list[str]) -> LatLon:
    """Latitude and longitude from two numbers and the hemisphere letters around them."""
    if len(letters) == 2:
        signs = {"n": 1, "e": 1, "s": -1, "w": -1}
        a, b = first * signs[letters[0]], second * signs[letters[1]]
        if letters[0] in "ew" and letters[1] in "ns":
            return LatLon(b, a)
        if letters[0] in "ns" and letters[1] in "ew":
            return LatLon(a, b)
        raise CoordinateError("coords.unreadable", text=f"{first} {second}")
    point = LatLon(first, second)
    turned = LatLon(second, first)
    if not _in_sweden(point) and _in_sweden(turned):
        return turned
    return point


def _in_sweden(point: LatLon) -> bool:
    return (
        SWEDEN_LAT[0] <= point.lat <= SWEDEN_LAT[1] and SWEDEN_LON[0] <= point.lon <= SWEDEN_LON[1]
    )


def _from_grid(first: float, second: float) -> LatLon:
    """SWEREF 99 TM in either order: the northing is the seven-digit number."""
    for north, east in ((first, second), (second, first)):
        if SWEREF_NORTH[0] <= north <= SWEREF_NORTH[1]:
            if SWEREF_EAST[0] <= east <= SWEREF_EAST[1]:
                return from_sweref99tm(Grid(north, east))
            if RT90_EAST[0] <= east <= RT90_EAST[1]:
                raise CoordinateError("coords.rt90")
    raise CoordinateError("coords.not_sweref", text=f"{first:.0f} {second:.0f}")


def _checked(point: LatLon) -> LatLon:
    if not (-90 <= point.lat <= 90 and -180 <= point.lon <= 180):
        raise CoordinateError("coords.out_of_range", lat=f"{point.lat:g}", lon=f"{point.lon:g}")
    return point
