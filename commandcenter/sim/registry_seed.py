"""The demo's registries: its restaurants as monitored sites, with cleaning records that show
every status an inspector meets (done, due soon, overdue, never recorded)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from commandcenter.domain.site import Cleaning, Site
from commandcenter.sim.places import Places

_CLEANERS = ("绿源油烟净化清洗公司", "洁美环保服务部", "店方自行清洗")
_CONTACTS = ("王经理", "陈老板", "李店长", "周经理", "吴老板", "徐店长")


def demo_sites(places: Places, seed: int) -> list[Site]:
    rng = random.Random(f"cc.sites/{seed}")
    return [Site(mn=r.mn, name=r.name, lat=r.place.lat, lon=r.place.lon,
                 address=r.place.address or r.name, street=r.place.street,
                 contact=rng.choice(_CONTACTS),
                 phone=f"0513-85{rng.randrange(100000, 999999)}", limit=r.limit)
            for r in places.restaurants]


def demo_cleanings(places: Places, today: date, seed: int) -> list[Cleaning]:
    """Monthly cleaning: most sites on time, some due within the week, some late, one unknown."""
    rng = random.Random(f"cc.cleanings/{seed}")
    out = []
    for i, restaurant in enumerate(places.restaurants):
        if i == len(places.restaurants) - 1:
            continue  # no record at all
        cleaned = today - timedelta(days=rng.choice((3, 9, 16, 26, 41, 52)))
        for back in (0, 30):
            day = cleaned - timedelta(days=back)
            out.append(Cleaning(restaurant.mn, day, rng.choice(_CLEANERS),
                                day + timedelta(days=30)))
    return out
