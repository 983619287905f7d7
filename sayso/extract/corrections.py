"""Corrections: editors' notices ("An earlier version of this report said X. It is Y.") as
structured facts that flag the superseded claim."""
from __future__ import annotations

import re

from ..model import Correction

_NOTICE = re.compile(
    r"(?:(?:Correction|Clarification|Editor['\u2019]s note|CORRECTION)\s*[:\-\u2014]\s*)?"
    r"(?:An?|The)\s+(?:earlier|previous|original|prior)\s+version\s+of\s+this\s+"
    r"(?:report|article|story|post|piece|item|headline|interview)\s+"
    r"(?:incorrectly\s+|mistakenly\s+|wrongly\s+|erroneously\s+)?"
    r"(?:said|stated|reported|misstated|described|identified|misidentified|gave|referred\s+to|named|misspelled)"
    r"\s+(?:that\s+)?(?P<wrong>[^.!?]+(?:\.(?=\w)[^.!?]*)*)[.!?]"
    r"(?P<rest>\s+[^.!?]+[.!?])?",
    re.IGNORECASE,
)
_RIGHT = re.compile(r"^\s*(?:In fact,?\s+|Actually,?\s+)?(?P<right>(?:It|He|She|They|The\s+\w+|This)\b[^.!?]*)[.!?]")
_SUBJECT = re.compile(r"^(?P<subject>.+?)\s+(?:was|is|were|are|had|has|did|does|will|would|had been)\s+")
_REGRET = re.compile(r"\s*[^.!?]*\bregrets?\s+the\s+error[.!?]", re.IGNORECASE)


def extract_corrections(text: str) -> list[Correction]:
    corrections = []
    for m in _NOTICE.finditer(text):
        wrong = m.group("wrong").strip()
        rest = m.group("rest") or ""
        right_m = _RIGHT.match(rest)
        right = right_m.group("right").strip() if right_m and not _REGRET.match(rest) else None
        subject_m = _SUBJECT.match(wrong)
        subject = subject_m.group("subject") if subject_m else None
        if right and subject and re.match(r"^(It|He|She|They|This)\b", right):
            right = subject + right[right.index(" "):]
        end = m.end("rest") if right else m.end("wrong") + 1
        regret = _REGRET.match(text, end)
        if regret:
            end = regret.end()
        start = m.start()
        line_start = text.rfind("\n", 0, start) + 1
        if re.match(r"\s*(?:Correction|Clarification|Editor)", text[line_start:start], re.IGNORECASE):
            start = line_start + len(text[line_start:start]) - len(text[line_start:start].lstrip())
        corrections.append(Correction(text[start:end].strip(), start, start + len(text[start:end].strip()),
                                      wrong, right, subject))
    return corrections
