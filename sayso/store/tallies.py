"""Tallies the collection's figures keep (sayso.store.summary) for its lists: speakers, and
places, each answering a page of its list, sorted and paged, without reading the store."""
from __future__ import annotations

from collections import Counter, defaultdict

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def ascii_lower(text: str) -> str:
    return text.translate(_ASCII_LOWER)


def _page(keys, by: dict, params: dict) -> list | None:
    """The keys of one page of a list sorted by `by[params["sort"]]` (None: a sort the tally
    cannot give), and one more to tell whether a next page exists."""
    if params["sort"] not in by:
        return None
    ordered = sorted(keys, key=by[params["sort"]], reverse=params["dir"] == "desc")
    return ordered[params["offset"]:params["offset"] + params["size"] + 1]


class SpeakerTally:
    """Speakers' quotes, documents, roles, organisations and first and last dates (by
    `speaker_key`): of all quotes, or of the quotes that give one role."""

    def __init__(self):
        self.quotes: Counter = Counter()
        self.documents: Counter = Counter()
        self.roles: dict[tuple, set] = defaultdict(set)
        self.orgs: dict[tuple, set] = defaultdict(set)
        self.dates: dict[tuple, tuple[str, str]] = {}

    def add(self, key: tuple, new_document: bool, date: str, role: str | None, org: str | None) -> None:
        self.quotes[key] += 1
        if new_document:
            self.documents[key] += 1
            if date:
                first, last = self.dates.get(key, (date, date))
                self.dates[key] = (min(first, date), max(last, date))
        if role:
            self.roles[key].add(role)
        if org:
            self.orgs[key].add(org)

    @classmethod
    def union(cls, tallies: list["SpeakerTally"]) -> "SpeakerTally":
        """The tallies of different speakers as one."""
        if len(tallies) == 1:
            return tallies[0]
        union = cls()
        for tally in tallies:
            for attribute in ("quotes", "documents", "roles", "orgs", "dates"):
                getattr(union, attribute).update(getattr(tally, attribute))
        return union

    def row(self, key: tuple, names: dict) -> dict:
        return {"name": names[key], "entity_id": key[1] if key[0] == "entity" else None,
                "quotes": self.quotes[key], "documents": self.documents[key]}

    def rows(self, names: dict, params: dict) -> list[dict] | None:
        """One page of the speaker list (sort: quotes, documents, name or last date)."""
        by = {"last": lambda k: (self.dates.get(k, ("", ""))[1], names[k].casefold()),
              "quotes": lambda k: (self.quotes[k], names[k].casefold()),
              "documents": lambda k: (self.documents[k], names[k].casefold()),
              "name": lambda k: names[k].casefold()}
        page = _page(self.quotes, by, params)
        return None if page is None else [{**self.row(k, names), "roles": ",".join(sorted(self.roles.get(k, ()))) or None,
                 "orgs": ",".join(sorted(self.orgs.get(k, ()))) or None,
                 "first": self.dates.get(k, (None, None))[0], "last": self.dates.get(k, (None, None))[1]}
                for k in page]


def _facet(counts: Counter, param: str, size: int) -> list[dict]:
    return [{"value": v, "label": v, "n": n, "params": {param: v}}
            for v, n in sorted(counts.items(), key=lambda vn: (-vn[1], vn[0]))[:size]]


class PlaceTally:
    """Places (by `place_key`: a GeoNames place, or a name in a country) with their mentions,
    documents and the outlets naming them, resolved or not: the map reads the resolved ones, the
    places list all, filtered by the properties a place row holds (FILTERS)."""

    FILTERS = frozenset({"name", "country", "feature", "resolved"})
    COLUMNS = ("name", "country", "lat", "lon", "geonames_id", "feature")

    def __init__(self):
        self.mentions: Counter = Counter()
        self.documents: Counter = Counter()
        self.rows: dict[tuple, dict] = {}
        self.outlets: dict[str, set] = defaultdict(set)  # outlet -> the places it names
        self.resolved: set[tuple] = set()

    def add(self, key: tuple, row, outlet: str | None, mentions: int, documents: int) -> None:
        self.mentions[key] += mentions
        self.documents[key] += documents
        if key not in self.rows:
            self.rows[key] = {c: row[c] for c in self.COLUMNS}
            if row["lat"] is not None:
                self.resolved.add(key)
        if outlet:
            self.outlets[outlet].add(key)

    def row(self, key: tuple) -> dict:
        return {**self.rows[key], "mentions": self.mentions[key], "documents": self.documents[key]}

    def top(self, n: int | None = None) -> list[dict]:
        keys = sorted(self.resolved, key=lambda k: (-self.mentions[k], self.rows[k]["name"]))
        return [self.row(k) for k in keys[:n]]

    def matching(self, filters: dict) -> list[tuple]:
        """The places the list's filters keep (as its SQL does: a name containing the text,
        ASCII case ignored; country and kind exactly; resolved yes or no)."""
        name = ascii_lower(filters.get("name", ""))
        wanted = {c: filters[c] for c in ("country", "feature") if c in filters}
        resolved = {"yes": True, "no": False}.get(filters.get("resolved"))
        return [k for k, row in self.rows.items()
                if name in ascii_lower(row["name"]) and all(row[c] == v for c, v in wanted.items())
                and (resolved is None or (k in self.resolved) == resolved)]

    def figures(self, filters: dict, size: int) -> dict:
        """Total, facets and rows of the places list with these filters."""
        keys = self.matching(filters)
        chosen = set(keys)
        facets = {column: _facet(Counter(self.rows[k][column] for k in keys if self.rows[k][column] is not None),
                                 column, size) for column in ("country", "feature")}
        facets["outlet"] = _facet(Counter({o: len(ks & chosen) for o, ks in self.outlets.items() if ks & chosen}),
                                  "outlet", size)
        return {"total": len(keys), "facets": facets, "rows": lambda conn, params: self.page(keys, params)}

    def page(self, keys: list[tuple], params: dict) -> list[dict] | None:
        """One page of the places list (sort: mentions, documents, name or country)."""
        name = lambda k: self.rows[k]["name"].casefold()
        by = {"mentions": lambda k: (self.mentions[k], name(k)), "documents": lambda k: (self.documents[k], name(k)),
              "name": name, "country": lambda k: (self.rows[k]["country"] or "", name(k))}
        page = _page(keys, by, params)
        return None if page is None else [self.row(k) for k in page]
