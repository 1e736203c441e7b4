"""Where numbered marks go on a map drawn without tiles, in the terminal or on paper.

Positions are projected to SWEREF 99 TM (metres, the grid of Swedish municipal maps), so
distances on the drawing are true in both directions, then fitted into a canvas of
``width`` × ``height`` units whose height is ``unit_aspect`` times their width (a
terminal cell is about twice as tall as wide; a braille dot and an SVG pixel are square).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from db.coordinates import LatLon, to_sweref99tm

#: Even a single mark gets this much ground around it (metres across).
MIN_EXTENT_M = 400.0
#: Lengths a scale bar may show (metres).
NICE_LENGTHS = (10, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000,
                100_000, 200_000)  # fmt: skip


@dataclass(frozen=True)
class Mark:
    """A numbered place on the map (``key`` names it to the caller)."""

    number: int
    key: str
    point: LatLon


@dataclass(frozen=True)
class Frame:
    """How ground (SWEREF 99 TM metres) maps to a canvas: x to the right, y down."""

    west: float
    north: float
    metres_per_unit: float
    unit_aspect: float
    width: int
    height: int

    def at(self, point: LatLon) -> tuple[float, float]:
        """The canvas position of ``point`` (may fall outside for points not fitted)."""
        grid = to_sweref99tm(point)
        x = (grid.east - self.west) / self.metres_per_unit
        y = (self.north - grid.north) / (self.metres_per_unit * self.unit_aspect)
        return x, y

    def scale(self, max_units: float) -> tuple[int, float]:
        """A scale bar no longer than ``max_units``: (metres, its length in units)."""
        fitting = [m for m in NICE_LENGTHS if m / self.metres_per_unit <= max_units]
        metres = fitting[-1] if fitting else NICE_LENGTHS[0]
        return metres, metres / self.metres_per_unit


def frame_for(
    points: Sequence[LatLon],
    width: int,
    height: int,
    *,
    unit_aspect: float = 1.0,
    margin: float = 0.08,
) -> Frame:
    """The frame that shows every point of ``points`` inside ``width`` × ``height``,
    centred, with ``margin`` (a share of each side) left free."""
    grids = [to_sweref99tm(p) for p in points] or [to_sweref99tm(LatLon(62.0, 15.0))]
    east = [g.east for g in grids]
    north = [g.north for g in grids]
    span_e = max(max(east) - min(east), MIN_EXTENT_M)
    span_n = max(max(north) - min(north), MIN_EXTENT_M)
    usable_w = max(1.0, width * (1 - 2 * margin))
    usable_h = max(1.0, height * (1 - 2 * margin))
    per_unit = max(span_e / usable_w, span_n / (usable_h * unit_aspect))
    centre_e = (max(east) + min(east)) / 2
    centre_n = (max(north) + min(north)) / 2
    return Frame(
        west=centre_e - per_unit * width / 2,
        north=centre_n + per_unit * unit_aspect * height / 2,
        metres_per_unit=per_unit,
        unit_aspect=unit_aspect,
        width=width,
        height=height,
    )


def format_metres(metres: int) -> str:
    """ "500 m", "2 km"."""
    return f"{metres // 1000} km" if metres >= 1000 and metres % 1000 == 0 else f"{metres} m"
