"""GeoJSON: one Feature per resolved place across the collection, with its mentions and the
quotes that mention it."""
from __future__ import annotations

import json

from .. import __version__


def place_features(store) -> list[dict]:
    from ..claims import claim_ids

    claims = claim_ids(store.conn)
    places: dict[object, dict] = {}
    for doc_id in store.document_ids():
        analysis = store.analysis(doc_id)
        for place in analysis.places:
            if place.lat is None:
                continue
            key = place.geonames_id or (place.name, place.country)
            feature = places.setdefault(key, {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
                "properties": {"name": place.name, "country": place.country, "geonames_id": place.geonames_id,
                               "feature": place.feature, "mentions": 0, "documents": [], "quotes": []}})
            props = feature["properties"]
            props["mentions"] += len(place.mentions)
            if doc_id not in props["documents"]:
                props["documents"].append(doc_id)
            for quote in analysis.quotes:
                if any(quote.start <= m.start and m.end <= quote.end for m in place.mentions):
                    props["quotes"].append({"doc_id": doc_id, "quote_id": quote.id, "speaker": quote.speaker.name,
                                            "text": quote.text, "claim_id": claims.get((doc_id, quote.id))})
    return sorted(places.values(), key=lambda f: -f["properties"]["mentions"])


def write_geojson(store, fh) -> int:
    features = place_features(store)
    from . import GENERATOR

    json.dump({"type": "FeatureCollection", "generator": f"{GENERATOR} {__version__}", "features": features}, fh,
              ensure_ascii=False)
    return len(features)
