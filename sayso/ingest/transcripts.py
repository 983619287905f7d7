"""Interview transcripts: `NAME: text` turns, and WebVTT/SRT subtitles turned into such turns."""
from __future__ import annotations

import re
from dataclasses import dataclass

# A speaker label: up to four capitalised words ("Abu Karim", "Dr. Lina Haddad", "INTERVIEWER"),
# or the usual interview shorthands. Optional [timestamp] before it.
_TURN = re.compile(
    r"^[ \t]*(?:\[?\(?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\)?\]?[ \t]+)?"
    r"(?P<name>Q|A|[A-Z][\w.'\u2019-]*(?:[ \t]+(?:[A-Z][\w.'\u2019-]*|al|el|bin|ibn|de|van|von)){0,4})"
    r"[ \t]*:[ \t]+(?P<text>\S.*)$",
    re.MULTILINE,
)
INTERVIEWER_LABELS = {"q", "question", "interviewer", "int", "host", "moderator"}
_NOT_SPEAKERS = {"note", "correction", "update", "editor's note", "source", "sources", "photo",
                 "file", "related", "see also", "read more", "warning", "date", "title", "location",
                 "transcript", "interview", "recorded", "summary", "subject", "topic", "present", "duration"}

# A line that closes the transcript: what follows (notes, footnotes) is no one's turn.
_END = re.compile(r"^[ \t]*(?:[-_*=]{3,}|(?:foot)?notes:?|end of (?:the )?(?:transcript|interview)\.?)[ \t]*$",
                  re.MULTILINE | re.IGNORECASE)


@dataclass
class Turn:
    speaker: str
    start: int  # offsets of the spoken text, after the label
    end: int
    interviewer: bool


def find_turns(text: str) -> list[Turn]:
    """The turns of a transcript, or [] when the text does not read as one.

    A text is a transcript when at least two lines open with a speaker label and, from the first
    such line on, labelled lines make up at least half of the non-empty lines.
    """
    matches = [m for m in _TURN.finditer(text) if m.group("name").lower() not in _NOT_SPEAKERS]
    if len(matches) < 2:
        return []
    tail = text[matches[0].start():]
    lines = [ln for ln in tail.splitlines() if ln.strip()]
    if len(matches) * 2 < len(lines):
        return []
    turns = []
    closings = [m.start() for m in _END.finditer(text)]
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        end = min([c for c in closings if m.end("text") <= c < end] or [end])
        chunk_end = m.start("text") + len(text[m.start("text"):end].rstrip())
        turns.append(Turn(m.group("name").strip(), m.start("text"), chunk_end, False))
    _mark_interviewer(turns, text)
    return turns


def _mark_interviewer(turns: list[Turn], text: str) -> None:
    """The interviewer is the labelled one (Q, Interviewer, ...) or else the speaker most of whose
    turns are questions, when there are two or more speakers."""
    labelled = {t.speaker for t in turns if t.speaker.lower() in INTERVIEWER_LABELS}
    if not labelled:
        by_speaker: dict[str, list[bool]] = {}
        for t in turns:
            by_speaker.setdefault(t.speaker, []).append(text[t.start:t.end].rstrip().endswith("?"))
        if len(by_speaker) >= 2:
            ratios = {s: sum(q) / len(q) for s, q in by_speaker.items()}
            asker = max(ratios, key=ratios.get)
            if ratios[asker] >= 0.6 and sum(r >= 0.6 for r in ratios.values()) == 1:
                labelled = {asker}
    for t in turns:
        t.interviewer = t.speaker in labelled


_TIME = r"(?:(\d{1,2}):)?(\d{1,2}):(\d{2})[.,](\d{3})"
_TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}.*$")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TAG = re.compile(r"</?[^>]+>")


@dataclass
class Cue:
    start_s: float
    end_s: float
    speaker: str | None  # from a <v Name> voice tag or a `NAME:` label
    words: str


def parse_cues(raw: str) -> list[Cue]:
    """The cues of WebVTT or SRT subtitles, each line of a cue that names its speaker its own cue."""
    cues = []
    for block in re.split(r"\n\s*\n", raw.replace("\r\n", "\n").strip()):
        lines = block.strip().split("\n")
        timing = next((i for i, ln in enumerate(lines) if _TIMING.match(ln)), None)
        if timing is None:
            continue  # header (WEBVTT), NOTE or STYLE block
        times = _TIMING.match(lines[timing]).groups()
        start_s, end_s = _seconds(times[:4]), _seconds(times[4:])
        for line in lines[timing + 1:]:
            voice = _VOICE.search(line)
            words = _TAG.sub("", line).strip()
            if not words:
                continue
            labelled = _TURN.match(words)
            speaker = voice.group(1).strip() if voice else (labelled.group("name") if labelled else None)
            if labelled and not voice:
                words = labelled.group("text")
            if speaker is None and cues and cues[-1].start_s == start_s:
                cues[-1].words += " " + words  # the cue's next line
            else:
                cues.append(Cue(start_s, end_s, speaker, words))
    return cues


def _seconds(parts) -> float:
    hours, minutes, seconds, millis = (int(p or 0) for p in parts)
    return hours * 3600 + minutes * 60 + seconds + millis / 1000


def parse_subtitles(raw: str) -> str:
    """WebVTT or SRT to `NAME: text` lines. Consecutive cues of one voice join into one turn;
    cues with no voice continue the previous turn."""
    turns: list[list[str]] = []  # [speaker, text]
    for cue in parse_cues(raw):
        if cue.speaker and (not turns or turns[-1][0] != cue.speaker):
            turns.append([cue.speaker, cue.words])
        elif turns:
            turns[-1][1] += " " + cue.words
        else:
            turns.append(["Speaker", cue.words])
    return "\n\n".join(f"{speaker}: {words}" for speaker, words in turns)
