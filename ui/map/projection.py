"""Local equirectangular projection: WGS-84 degrees to metres on a plane centred on the district.

Metres (rather than degrees) keep the aspect ratio true at the district's latitude and let the
scale bar read distances directly; over a district-sized area the error is far below a marker.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from commandcenter.domain.geo import EARTH_RADIUS_M

FloatArray = npt.NDArray[np.float64]

# Centre of 崇川区, 南通: the default origin, for a sensible view before any data arrives.
CHONGCHUAN_CENTRE = (32.0, 120.9)


@dataclass(frozen=True)
class LocalProjection:
    """x east and y north in metres from (lat0, lon0); x is shrunk by cos(lat0)."""

    lat0: float = CHONGCHUAN_CENTRE[0]
    lon0: float = CHONGCHUAN_CENTRE[1]

    @property
    def _k(self) -> float:
        return math.radians(1.0) * EARTH_RADIUS_M

    @property
    def _cos0(self) -> float:
        return math.cos(math.radians(self.lat0))

    def point(self, lat: float, lon: float) -> tuple[float, float]:
        """Project one position; the scalar path avoids numpy overhead for single points."""
        return (lon - self.lon0) * self._k * self._cos0, (lat - self.lat0) * self._k

    def points(
        self, lat: Sequence[float] | FloatArray, lon: Sequence[float] | FloatArray
    ) -> tuple[FloatArray, FloatArray]:
        """Project many positions at once (hundreds of markers, several times a second)."""
        lat_a = np.asarray(lat, dtype=np.float64)
        lon_a = np.asarray(lon, dtype=np.float64)
        return (lon_a - self.lon0) * (self._k * self._cos0), (lat_a - self.lat0) * self._k

    def inverse(self, x: float, y: float) -> tuple[float, float]:
        """(lat, lon) of a map point, e.g. the view centre or a clicked position."""
        return self.lat0 + y / self._k, self.lon0 + x / (self._k * self._cos0)
