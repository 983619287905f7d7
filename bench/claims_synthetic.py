"""A synthetic multi-outlet collection with known claims, for bench/claims.py: stories whose
quotes are reprinted by other outlets as they were, as excerpts (with or without an ellipsis),
with words altered, credited to someone else, or with other quote marks, case and number
spelling; some stories are wire copies reprinted whole. Deterministic for a seed.

    python bench/claims_synthetic.py OUT.jsonl TRUTH.json [--stories N] [--seed S]

OUT.jsonl is `sayso ingest` input (id, date, source, text); TRUTH.json lists every quote as
written with its claim, whether it is altered, the speaker credited and whether that credit is
wrong, and the wire groups.
"""
from __future__ import annotations

import argparse
import json
import random
from datetime import date, timedelta

OUTLETS = ["Harbour Courier", "Plains Daily", "Northern Star", "Valley Ledger", "Metro Bulletin",
           "Island Tribune", "Ridge Observer"]
FIRST = ("Mara Tomas Ines Bruno Calla Dario Edda Fenn Greta Hugo Ilse Jonas Kaia Lorin Mirela Nils Orla Pavel "
         "Runa Silas Tilde Ugo Vera Wim").split()
LAST = ("Quinlan Reyes Okafor Lindqvist Moreau Varga Castell Hale Brandt Ferreira Novak Sato Albers Dunmore "
        "Kessler Ortiz Pryce Rahal Strand Tamm").split()
ROLES = ["the regional governor", "a union leader", "the harbour master", "a city councillor", "the health minister",
         "a school principal", "the police chief", "a farmers' spokeswoman"]
SUBJECTS = ["we", "they", "our people", "the council", "this government", "my family", "the workers", "nobody here",
            "the families", "our engineers"]
MODALS = ["will", "must", "cannot", "should never", "have to", "are going to", "refuse to", "promise to"]
VERBS = ("rebuild protect close open fund defend repair abandon inspect replace expand measure clean guard "
         "restore empty paint share sell rent").split()
ADJECTIVES = ("old new broken northern flooded empty public quiet crowded damaged narrow wooden famous local "
              "western").split()
NOUNS = ("school bridge harbour clinic road market station library factory granary pier tunnel shelter "
         "dam orchard reservoir ferry stadium warehouse archive").split()
PLACES = ("valley coast river border capital island village district plateau estuary").split()
LINKS = ["because", "before", "while", "unless", "until", "after", "and then"]
NUMBERS = ["two", "three", "five", "seven", "nine", "twelve", "forty", "sixty"]
INSERTS = ["really", "absolutely", "certainly", "simply", "surely"]
FILLER_NOUNS = ("weather traffic ferry timetable harvest tide lecture concert festival exhibition rainfall "
                "auction parade tournament").split()


def _clause(rng: random.Random) -> str:
    obj = f"the {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
    if rng.random() < 0.3:
        obj = f"{rng.choice(NUMBERS)} {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}s"
    return f"{rng.choice(SUBJECTS)} {rng.choice(MODALS)} {rng.choice(VERBS)} {obj} in the {rng.choice(PLACES)}"


def _quote(rng: random.Random) -> str:
    text = f"{_clause(rng)} {rng.choice(LINKS)} {_clause(rng)}"
    return text[0].upper() + text[1:]


def _filler(rng: random.Random) -> str:
    words = [rng.choice(FILLER_NOUNS + ADJECTIVES + PLACES) for _ in range(rng.randint(10, 18))]
    return f"The {' '.join(words)} was discussed on {rng.choice(['Monday', 'Tuesday', 'Friday'])} by {rng.randint(3, 90)} residents."


def _variant(rng: random.Random, text: str) -> tuple[str, str, bool]:
    """(kind, text as reprinted, altered)."""
    words = text.split()
    roll = rng.random()
    if roll < 0.35:
        return "reprint", text, False
    if roll < 0.45:  # other case, number spelling (digits): the same words
        for i, w in enumerate(words):
            if w in NUMBERS:
                words[i] = str({"two": 2, "three": 3, "five": 5, "seven": 7, "nine": 9, "twelve": 12, "forty": 40,
                                "sixty": 60}[w])
        return "respelled", " ".join(words).lower().capitalize(), False
    if roll < 0.6:
        start = rng.randint(0, max(0, len(words) - 8))
        part = words[start:start + rng.randint(6, max(6, len(words) - start))]
        return "excerpt", " ".join(part), False
    if roll < 0.7:
        cut = rng.randint(3, len(words) - 6)
        return "ellipsis", " ".join(words[:cut] + ["..."] + words[cut + rng.randint(2, 4):]), False
    i = rng.randint(2, len(words) - 3)
    change = rng.choice(["replace", "add", "remove"])
    if change == "replace":
        pool = NOUNS if words[i].rstrip("s") in NOUNS else ADJECTIVES if words[i] in ADJECTIVES else VERBS
        words[i] = rng.choice([w for w in pool if w != words[i]])
    elif change == "add":
        words.insert(i, rng.choice(INSERTS))
    else:
        del words[i]
    return f"altered-{change}", " ".join(words), True


def _paragraph(text: str, speaker: str, role: str, curly: bool) -> str:
    open_, close = ("\u201c", "\u201d") if curly else ('"', '"')
    return f"{open_}{text},{close} said {speaker}, {role}."


def generate(n_stories: int = 150, seed: int = 3) -> tuple[list[dict], dict]:
    rng = random.Random(seed)
    docs, quotes, wire = [], [], []
    start = date(2024, 1, 1)
    for s in range(n_stories):
        day = start + timedelta(days=rng.randint(0, 300))
        speaker = (rng.choice(FIRST), rng.choice(LAST))
        role = rng.choice(ROLES)
        story = [_quote(rng) for _ in range(rng.randint(1, 3))]
        outlets = rng.sample(OUTLETS, rng.randint(1, 5))
        for n, outlet in enumerate(outlets):
            doc_id = f"s{s:04d}-{n}"
            paragraphs = [f"Report on the {rng.choice(NOUNS)} from the {rng.choice(PLACES)}", _filler(rng)]
            for k, text in enumerate(story):
                kind, shown, altered = ("original", text, False) if n == 0 else _variant(rng, text)
                if n > 0 and rng.random() < 0.1:
                    continue  # this outlet leaves the quote out
                credited, wrong = f"{speaker[0]} {speaker[1]}", False
                if n > 0 and rng.random() < 0.25:
                    credited = speaker[1]  # surname only: the same person
                if n > 0 and rng.random() < 0.08:
                    credited, wrong = f"{rng.choice(FIRST)} {rng.choice([x for x in LAST if x != speaker[1]])}", True
                paragraphs.append(_paragraph(shown, credited, role, curly=rng.random() < 0.6))
                paragraphs.append(_filler(rng))
                quotes.append({"doc": doc_id, "text": shown, "claim": f"s{s}-q{k}", "kind": kind, "altered": altered,
                               "speaker": credited, "misattributed": wrong})
            # a quote of this document alone
            paragraphs.append(_paragraph(_quote(rng), f"{rng.choice(FIRST)} {rng.choice(LAST)}", rng.choice(ROLES), True))
            quotes.append({"doc": doc_id, "text": paragraphs[-1].split("\u201d")[0].strip("\u201c,"),
                           "claim": f"{doc_id}-own", "kind": "original", "altered": False, "speaker": None,
                           "misattributed": False})
            docs.append({"id": doc_id, "date": (day + timedelta(days=n * rng.randint(0, 2))).isoformat(),
                         "source": outlet, "text": "\n\n".join(paragraphs)})
        if rng.random() < 0.15:  # a wire copy: the first report reprinted whole under another headline
            first = docs[-len(outlets)]
            outlet = rng.choice([o for o in OUTLETS if o not in outlets])
            body = first["text"].split("\n\n")[1:]
            copy = {"id": f"s{s:04d}-wire", "date": first["date"], "source": outlet,
                    "text": "\n\n".join([f"Wire: {rng.choice(ADJECTIVES)} news from the {rng.choice(PLACES)}", *body])}
            docs.append(copy)
            wire.append([first["id"], copy["id"]])
            for q in [q for q in quotes if q["doc"] == first["id"]]:
                quotes.append({**q, "doc": copy["id"], "kind": "wire"})
    return docs, {"quotes": quotes, "wire_groups": wire}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("truth")
    parser.add_argument("--stories", type=int, default=150)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    docs, truth = generate(args.stories, args.seed)
    with open(args.out, "w", encoding="utf-8") as fh:
        for doc in docs:
            fh.write(json.dumps(doc) + "\n")
    with open(args.truth, "w", encoding="utf-8") as fh:
        json.dump(truth, fh, indent=0)
    print(f"{len(docs)} documents, {len(truth['quotes'])} quotes, {len(truth['wire_groups'])} wire copies")


if __name__ == "__main__":
    main()
