"""Synthetic news documents for throughput and scale tests: templated sentences with quotes,
speakers, places and counts, of varied length. Deterministic for a seed."""
from __future__ import annotations

import random

FIRST = "Omar Lina Karim Sara Yusuf Hana Tariq Rania Samir Nadia Faris Leila Hassan Maya Adel Dina".split()
LAST = "Haddad Nasser Saleh Khatib Demir Aziz Farouk Mansour Rahman Jaber Qasim Hamdan Sabri Osman".split()
PLACES = "Mosul Raqqa Aleppo Gaziantep Kirkuk Homs Idlib Erbil Baghdad Damascus Amman Beirut".split()
ROLES = "a farmer|a nurse|a local official|a former fighter|a teacher|an aid worker|a shopkeeper|a doctor".split("|")
THINGS = "families|fighters|trucks|students|prisoners|villagers|volunteers|shops|homes|refugees".split("|")
QUALIFIERS = ["", "more than ", "about ", "at least ", "nearly "]
TOPICS = ["the road was closed for days", "the water supply had failed again", "the schools would reopen soon",
          "prices in the market had doubled", "the convoy never arrived", "the fighting had moved north",
          "the camp was running out of fuel", "nobody had been paid since spring"]


def _sentence(rng: random.Random) -> str:
    person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    place = rng.choice(PLACES)
    number = rng.choice([3, 12, 40, 150, 300, 1200])
    things = rng.choice(THINGS)
    pattern = rng.randrange(6)
    if pattern == 0:
        return f"\u201c{rng.choice(TOPICS).capitalize()},\u201d said {person}, {rng.choice(ROLES)} in {place}."
    if pattern == 1:
        return f"{person}, {rng.choice(ROLES)}, told reporters that {rng.choice(TOPICS)}."
    if pattern == 2:
        return f"According to officials in {place}, {rng.choice(QUALIFIERS)}{number} {things} left the area."
    if pattern == 3:
        return f"{rng.choice(QUALIFIERS).capitalize()}{number} {things} arrived in {place} on Tuesday."
    if pattern == 4:
        return f"\u201cWe waited in {place} for a week,\u201d {person} said. \u201cThen we walked.\u201d"
    return f"The council in {place} met on Monday to discuss the situation."


def documents(n: int, seed: int = 1) -> list[tuple[str, str]]:
    """(id, text) pairs: n documents of 3 to 12 paragraphs of 1 to 3 sentences."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        paragraphs = [" ".join(_sentence(rng) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(3, 12))]
        out.append((f"synthetic-{seed}-{i:06d}", f"Report {i} from {rng.choice(PLACES)}\n\n" + "\n\n".join(paragraphs)))
    return out


def write_jsonl(path, n: int, seed: int = 1) -> None:
    import json

    with open(path, "w", encoding="utf-8") as fh:
        for doc_id, text in documents(n, seed):
            fh.write(json.dumps({"id": doc_id, "text": text}) + "\n")
