"""Quote text as words that compare: case, punctuation, quote marks and the spelling of numbers
("five" = "5", "1,200" = "1200") do not matter; an ellipsis or an editor's [bracketed words] is
kept as one word, "…", so that a cut marked by the writer can be told from a silent one. Then the word-level comparison of two
forms of one quote: are they the same claim, and what words changed."""
from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

from ..extract.counts import SCALES, UNITS, parse_number

ELLIPSIS = "…"
MIN_EXCERPT = 5  # words an excerpt must share with a longer form to join it (shorter: exact only)
MIN_SHARED = 0.75  # share of the shorter form's words found, in order, in the longer one
# A cut marked by the writer: an ellipsis, or words in square brackets (an editor's "[Clinton]",
# "[censored]"), which stand in for what the speaker said and are no change to the words.
_CUT = re.compile(r"\[[^\]\n]{0,60}\]|\(\s*(?:\.\s*){3,}\)|(?:\.\s*){3,}|…")
_WORD = re.compile(r"…|\w+(?:[’‘ʼ'.,]\w+)*")
_NUMBER_WORDS = set(UNITS) | set(SCALES)
_THOUSANDS = re.compile(r"\d+(?:,\d{3})+(?:\.\d+)?")


def words(text: str) -> list[tuple[str, str]]:
    """(normalised, as written) for each word of text; a run of number words is one word."""
    text = _CUT.sub(" … ", unicodedata.normalize("NFC", text))
    out: list[tuple[str, str]] = []
    run: list[str] = []
    for raw in _WORD.findall(text):
        low = re.sub("[’‘ʼ]", "'", raw.lower())
        if low in _NUMBER_WORDS or (low == "and" and run):
            run.append(raw)
            continue
        _flush(run, out)
        run = []
        out.append((_plain(low), raw))
    _flush(run, out)
    return out


def _flush(run: list[str], out: list) -> None:
    trailing = []
    while run and run[-1].lower() == "and":
        trailing.append(run.pop())
    if run:
        value = parse_number(run)
        shown = " ".join(run)
        out.append((_number(value) if value is not None else " ".join(w.lower() for w in run), shown))
    out.extend(("and", w) for w in trailing)


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _plain(word: str) -> str:
    if not word[:1].isdigit():
        return word.replace(".", "") if "." in word else word
    if "," in word and _THOUSANDS.fullmatch(word):
        return word.replace(",", "")
    return word


def norm(text: str) -> list[str]:
    return [w for w, _ in words(text)]


def content(tokens: list[str]) -> list[str]:
    return [w for w in tokens if w != ELLIPSIS]


def same_claim(a: list[str], b: list[str]) -> bool:
    """Are two normalised forms one quote: equal, one an excerpt of the other (with or without
    ellipses), or the same words with a few added, dropped or replaced."""
    cut = ELLIPSIS in (a if len(content(a)) <= len(content(b)) else b)
    a, b = content(a), content(b)
    if a == b:
        return bool(a)
    short, long = sorted((a, b), key=len)
    if len(short) < MIN_EXCERPT:
        return False
    distinct = set(short)
    if len(distinct & set(long)) < MIN_SHARED * len(distinct):
        return False  # cheap test before the alignment: too few of the words are there at all
    blocks = [m for m in SequenceMatcher(None, short, long, autojunk=False).get_matching_blocks() if m.size]
    matched = sum(m.size for m in blocks)
    if matched < MIN_EXCERPT or matched < MIN_SHARED * len(short) or len(short) - matched > (len(short) - 5) // 5:
        return False  # a short form must be found whole; longer ones may differ in a word per five
    if len(short) < 2 * MIN_EXCERPT and len(blocks) > 1 and not cut:
        return False  # a short form must be found in one piece ("if you look at it"), unless cut
    span = blocks[-1].b + blocks[-1].size - blocks[0].b
    return matched >= 0.6 * span  # the shared words sit together in the longer form, not scattered


def changes(form: list[tuple[str, str]], reference: list[tuple[str, str]]) -> list[dict]:
    """Words of `form` added, removed without an ellipsis, or replaced, against `reference`,
    inside the stretch of the reference that form covers (a shorter excerpt is not a change).
    Each change: {"op": "added"|"removed"|"replaced", "from": words, "to": words}."""
    a = [w for w, _ in form]
    b = [w for w, _ in reference]
    ops = SequenceMatcher(None, b, a, autojunk=False).get_opcodes()
    start, end = 0, len(ops)
    while start < end and ops[start][0] in ("delete", "insert"):
        start += 1  # the reference goes on before the excerpt starts (or the form before it)
    while end > start and ops[end - 1][0] in ("delete", "insert"):
        end -= 1
    ops = ops[start:end]
    if ops and ops[0][0] == "replace" and ops[0][2] - ops[0][1] > ops[0][4] - ops[0][3]:
        tag, i1, i2, j1, j2 = ops[0]  # an excerpt starting on a changed word: only that word changed
        ops[0] = (tag, i2 - (j2 - j1), i2, j1, j2)
    if ops and ops[-1][0] == "replace" and ops[-1][2] - ops[-1][1] > ops[-1][4] - ops[-1][3]:
        tag, i1, i2, j1, j2 = ops[-1]
        ops[-1] = (tag, i1, i1 + (j2 - j1), j1, j2)
    found = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        old = [w for w in reference[i1:i2] if w[0] != ELLIPSIS]
        new = [w for w in form[j1:j2] if w[0] != ELLIPSIS]
        cut_here = any(w == ELLIPSIS for w in a[max(0, j1 - 1):j2 + 1]) or \
            any(w == ELLIPSIS for w in b[max(0, i1 - 1):i2 + 1])
        if not new and (not old or cut_here):
            continue  # words left out where the writer marked the cut
        if not old and cut_here:
            continue  # words restored where the other form marked a cut
        op = "replaced" if old and new else ("added" if new else "removed")
        found.append({"op": op, "from": " ".join(s for _, s in old), "to": " ".join(s for _, s in new)})
    return found



def diff_segments(form: list[tuple[str, str]], reference: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The words of `form` as (kind, words) pieces for display: "same", "added" (or put in place
    of the "removed" reference words just before), with the reference's words left out silently
    inside the stretch form covers shown as "removed"; cuts and excerpt edges are not changes."""
    a = [w for w, _ in form]
    b = [w for w, _ in reference]
    flagged = {(c["from"], c["to"]) for c in changes(form, reference)}
    ops = SequenceMatcher(None, b, a, autojunk=False).get_opcodes()
    pieces: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in ops:
        old = " ".join(s for w, s in reference[i1:i2] if w != ELLIPSIS)
        new = " ".join(s for _, s in form[j1:j2])
        if tag == "equal" or not any(o in old and n in new for o, n in flagged) or not (old or new):
            if new:
                pieces.append(("same", new))
            continue
        if old and tag in ("replace", "delete"):
            pieces.append(("removed", old))
        if new:
            pieces.append(("added", new))
    return pieces
