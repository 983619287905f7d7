"""An offline world map: country outlines from the countryinfo package (MIT) drawn as one SVG
path in an equirectangular projection, so no tile server or CDN is needed."""
from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

WIDTH, HEIGHT = 1000, 500


def project(lon: float, lat: float) -> tuple[float, float]:
    return round((lon + 180) * WIDTH / 360, 1), round((90 - lat) * HEIGHT / 180, 1)


def _outlines() -> Iterator[list[list]]:
    """Each country's outer rings ([lon, lat] points), one list a country shape."""
    import countryinfo

    for path in sorted((Path(countryinfo.__file__).parent / "data").glob("*.json")):
        try:
            geo = json.loads(path.read_text(encoding="utf-8")).get("geoJSON") or {}
        except (OSError, ValueError):
            continue
        for feature in geo.get("features", []):
            geometry = feature.get("geometry") or {}
            polygons = geometry.get("coordinates", [])
            if geometry.get("type") == "Polygon":
                polygons = [polygons]
            yield [ring for polygon in polygons for ring in polygon[:1]]  # outer rings only


@lru_cache(maxsize=1)
def world_path() -> str:
    parts = []
    for rings in _outlines():
        for ring in rings:
            points = [project(lon, lat) for lon, lat in ring[::2] or ring]
            if len(points) > 2:
                parts.append("M" + "L".join(f"{x},{y}" for x, y in points) + "Z")
    return "".join(parts)


@lru_cache(maxsize=1)
def world_geojson() -> dict:
    """The same outlines as GeoJSON (every other point of each outer ring), for the zoomable map."""
    features = []
    for rings in _outlines():
        shapes = [[ring[::2] + ring[:1] if len(ring) > 8 else ring] for ring in rings]
        if shapes:
            features.append({"type": "Feature", "properties": {},
                             "geometry": {"type": "MultiPolygon", "coordinates": shapes}})
    return {"type": "FeatureCollection", "features": features}
