"""Scenario simulator: a realistic 崇川区 feed (demo mode) and load generator (`simulate`)."""

from __future__ import annotations

from commandcenter.sim.officers import InvalidDispatch
from commandcenter.sim.places import Places, PlacesError, load_places
from commandcenter.sim.scenario import Scenario

__all__ = ["InvalidDispatch", "Places", "PlacesError", "Scenario", "load_places"]
