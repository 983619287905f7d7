"""Toponym resolution: which of the places called "Paris" a document means.

Every distinct name in a document is resolved once (one sense per discourse) and the readings
support each other: a reading gains from the countries and US states the document's other names
point to, and from other names placed within RADIUS_KM of it ("Paris" next to "Henry County" is
Paris, Tennessee). A country or state named right after the toponym ("Alexandria, Louisiana")
decides. Otherwise countries beat towns of the same name, US states beat towns, the name a place
is officially known by beats an alternative name, and population breaks ties."""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from .gazetteer import GazetteerEntry, normalise

RADIUS_KM = 150
COUNTRY_BONUS = 3
STATE_BONUS = 1.5
PAIR_KM = 40
PAIR_BONUS = 3
ROUNDS = 3
WORLD_CITY = 1_000_000  # people: a city known by its name alone
SMALL_TOWN = 50_000  # people: a town abroad this small needs its country named in the document
SMALL_REGION = 10_000  # a region abroad of fewer than five towns in the gazetteer, likewise
# News style: a bare "Washington" is the capital, not the state (which is "Washington state").
CONVENTIONAL = {"washington": ("US", "DC")}


@dataclass
class Context:
    """What the rest of a document says about where it is."""
    votes: Counter = field(default_factory=Counter)  # country -> names, (country, state) -> names
    points: list[GazetteerEntry] = field(default_factory=list)  # other names' towns and counties
    paired: dict[GazetteerEntry, int] = field(default_factory=dict)  # see _paired

    @property
    def top_country(self) -> str | None:
        countries = [k for k in self.votes if isinstance(k, str)]
        return max(countries, key=self.votes.get, default=None)

    def nearby(self, entry: GazetteerEntry) -> int:
        return sum(1 for p in self.points if _km(entry, p) <= RADIUS_KM)



def resolve(names: dict[str, tuple[tuple[GazetteerEntry, ...], tuple]], rounds: int = ROUNDS
            ) -> dict[str, GazetteerEntry | None]:
    """names: normalised name -> (candidates, qualifiers). Returns the reading chosen for each,
    after `rounds` rounds of reading each name in the light of the others' last readings (fewer
    when the readings stop changing)."""
    pools = {key: _pool(candidates) for key, (candidates, _) in names.items()}
    paired = _paired(pools, {key for key, pool in pools.items() if _well_known(key, pool)})
    chosen = {key: choose(key, candidates, Context(), qualifier) for key, (candidates, qualifier) in names.items()}
    for _ in range(rounds):
        before = chosen
        chosen = {key: choose(key, candidates, context_without(chosen, key, paired.get(key)), qualifier)
                  for key, (candidates, qualifier) in names.items()}
        if chosen == before:
            break
    return {key: best if best is None or plausible(best, context_without(chosen, key), names[key][1]) else None
            for key, best in chosen.items()}


def context_without(chosen: dict[str, GazetteerEntry | None], key: str | None, paired=None) -> Context:
    """The context the other names give (a name does not vote for its own reading)."""
    context = Context()
    for other, best in chosen.items():
        if other == key or best is None or best.feature == "continent":
            continue
        context.votes[best.country] += 1
        if best.feature in ("admin1", "admin2", "city") and best.admin1:
            context.votes[(best.country, best.admin1)] += 1
        if best.feature in ("admin2", "city"):
            context.points.append(best)
    context.paired = paired or {}
    return context


def _pool(candidates) -> tuple[GazetteerEntry, ...]:
    """The readings worth scoring: all, or the 200 most populous of a very common name."""
    return candidates if len(candidates) <= 200 else tuple(sorted(candidates, key=lambda c: -c.population)[:200])


def _world_city(pool) -> bool:
    return any(c.feature == "city" and c.population >= WORLD_CITY for c in pool)


def _well_known(key: str, pool) -> bool:
    """A name read first as a world city, a country or a US state ('Paris', 'Russia',
    'Washington'), whatever small towns share it."""
    return key in CONVENTIONAL or _world_city(pool) or any(c.feature in ("country", "admin1") for c in pool)


def _paired(pools: dict[str, tuple[GazetteerEntry, ...]], famous: set[str] = frozenset()
            ) -> dict[str, dict[GazetteerEntry, int]]:
    """For each town or county a name could be, how many other names could be a place within
    PAIR_KM of it (Paris and Henry County, Tennessee). Two well-known names are no pair (London
    and Paris, Ohio; Paris and Washington, Pennsylvania). Candidates are bucketed in half-degree
    cells so that only neighbours are measured."""
    def cell(c):
        return math.floor(c.lat / 0.5), math.floor(c.lon / 1.0)

    grid: dict[tuple[int, int], list] = {}
    for key, pool in pools.items():
        for c in pool:
            if c.feature in ("admin2", "city"):
                grid.setdefault(cell(c), []).append((key, c))
    out: dict[str, dict[GazetteerEntry, int]] = {}
    for key, pool in pools.items():
        counts = out.setdefault(key, {})
        for c in pool:
            if c.feature not in ("admin2", "city"):
                continue
            i, j = cell(c)
            near = {other for di in (-1, 0, 1) for dj in (-1, 0, 1) for other, d in grid.get((i + di, j + dj), ())
                    if other != key and _km(c, d) <= PAIR_KM and not (key in famous and other in famous)}
            counts[c] = len(near)
    return out


def choose(key: str, candidates, context: Context, qualifier) -> GazetteerEntry | None:
    if not candidates:
        return None
    top_country = context.top_country
    pool = _pool(candidates)
    world_city = _world_city(pool)

    def score(c: GazetteerEntry) -> float:
        value = math.log10(c.population + 10)
        if c.feature == "country":
            value += 6
        elif c.feature == "admin1" and c.geonames_id:
            value += 4  # a US state; other regions get no bonus over a town of the same name
        if normalise(c.name) == key:
            value += 1
        if CONVENTIONAL.get(key) == (c.country, c.admin1) and c.feature == "city":
            value += 6
        home = 0.0
        if c.country == top_country:
            home = COUNTRY_BONUS if context.votes[top_country] >= 2 else COUNTRY_BONUS / 2
        state = STATE_BONUS * min(context.votes[(c.country, c.admin1)], 2) if c.feature != "country" else 0.0
        local = 0.0
        if c.feature in ("admin2", "city"):
            local = 1.5 * min(context.nearby(c), 3) + PAIR_BONUS * min(context.paired.get(c, 0), 2)
            if world_city and not local and context.votes[(c.country, c.admin1)] < 2:
                # beside a world city of the same name, a town nothing in the text is near: in
                # national news "Paris" is France's and "London (Reuters)" England's
                home, state = home / 2, 0.0
        value += home + state + local
        if any(q.country == c.country and (q.feature == "country" or q.admin1 == c.admin1) for q in qualifier):
            value += 10
        return value

    return max(pool, key=score)


def plausible(best: GazetteerEntry, context: Context, qualifier) -> bool:
    """A small town or a region of few towns abroad, in a document about another country, is kept
    only when something else in the document points to its country: "Kristina" the person is not
    a Finnish village, nor "the West Coast" of American news New Zealand's region."""
    # a region abroad (a US state has its GeoNames id) stands for its towns: a size of 2,000 a town
    small_region = best.feature == "admin1" and not best.geonames_id and best.population < SMALL_REGION
    if not (small_region or best.feature == "city" and best.population < SMALL_TOWN) or qualifier:
        return True
    top_country = context.top_country
    return top_country is None or best.country == top_country or context.votes[best.country] >= 1


def _km(a: GazetteerEntry, b: GazetteerEntry) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 12742 * math.asin(min(1.0, math.sqrt(h)))
