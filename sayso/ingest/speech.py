"""Speech-to-text output: Whisper, faster-whisper and WhisperX JSON, and WebVTT/SRT subtitles.

Segments (`start`, `end` in seconds, `text`; `speaker` when diarised) become `NAME: text` turns,
one per run of segments by one speaker, so the transcript reader makes each turn a quote of its
speaker; `Document.timecodes` keeps every segment's stretch of text with its times, so quotes carry
`start_s`/`end_s`. Speakers come from the segments' labels or, when the JSON has none, from an RTTM
diarisation file beside it (NAME.rttm: each segment takes the speaker it overlaps most).
Labels such as SPEAKER_00 are named through a sidecar file beside the input, NAME.speakers.json
({"SPEAKER_00": "Amal Haddad", "SPEAKER_01": "Interviewer"}) or NAME.speakers.yaml (same mapping).
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..model import Document
from .readers import make_document, read_bytes
from .text import ReadError, decode, normalise

SHAPE = 'not a Whisper/WhisperX JSON: expected "segments" with numeric "start", "end" and a "text"'


@dataclass
class Segment:
    start_s: float
    end_s: float
    text: str
    speaker: str | None


def read_speech_json(path: Path) -> Iterator[Document]:
    raw, _ = decode(read_bytes(path))
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as err:
        raise ReadError(f"malformed JSON: {err.msg} (line {err.lineno})") from None
    doc = _timed_document(path, _segments(data))
    language = data.get("language") if isinstance(data, dict) else None
    if isinstance(language, str) and 2 <= len(language) <= 3:
        doc.language = language.lower()
    yield doc


def read_subtitles(path: Path) -> Iterator[Document]:
    """WebVTT and SRT: cues become turns of their voice (`<v Name>`) or label (`NAME:`); a cue with
    neither continues the turn before it. Without any, an RTTM file beside them gives the speakers."""
    from .transcripts import parse_cues

    raw, warning = decode(read_bytes(path))
    segments, speaker = [], None
    for cue in parse_cues(raw):
        speaker = cue.speaker or speaker
        segments.append(Segment(cue.start_s, cue.end_s, cue.words, speaker))
    if not segments:
        raise ReadError("no subtitle cues found")
    yield _timed_document(path, segments, warning)


def _timed_document(path: Path, segments: list[Segment], warning: str | None = None) -> Document:
    if not any(s.speaker for s in segments):
        _label_from_rttm(segments, _beside(path, ".rttm"))
    names = speaker_names(path)
    for s in segments:
        if s.speaker:
            s.speaker = names.get(s.speaker, s.speaker)
    text, timecodes = transcript(segments)
    doc = make_document(path.stem, text, path=str(path))
    doc.timecodes = timecodes
    if warning:
        doc.warnings.append(warning)
    return doc


def _segments(data) -> list[Segment]:
    items = data.get("segments") if isinstance(data, dict) else data
    if not isinstance(items, list) or not items:
        raise ReadError(SHAPE)
    segments = []
    for number, item in enumerate(items, start=1):
        if not (isinstance(item, dict) and _is_number(item.get("start")) and _is_number(item.get("end"))
                and isinstance(item.get("text"), str)):
            raise ReadError(f"{SHAPE} (segment {number})")
        speaker = item.get("speaker")
        segments.append(Segment(float(item["start"]), float(item["end"]), item["text"],
                                str(speaker).strip() if speaker not in (None, "") else None))
    return segments


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _beside(path: Path, suffix: str) -> Path:
    return path.with_name(path.name[: -len(path.suffix)] + suffix)


def _label_from_rttm(segments: list[Segment], rttm: Path) -> None:
    if not rttm.is_file():
        return
    turns = read_rttm(rttm)
    for s in segments:
        overlaps = {}
        for start, end, speaker in turns:
            overlap = min(end, s.end_s) - max(start, s.start_s)
            if overlap > 0:
                overlaps[speaker] = overlaps.get(speaker, 0.0) + overlap
        if overlaps:
            s.speaker = max(overlaps, key=overlaps.get)


def read_rttm(path: Path) -> list[tuple[float, float, str]]:
    """SPEAKER lines of an RTTM file: (start, end, speaker label)."""
    turns = []
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        fields = line.split()
        if not fields or fields[0] != "SPEAKER":
            continue
        try:
            start, duration = float(fields[3]), float(fields[4])
            turns.append((start, start + duration, fields[7]))
        except (IndexError, ValueError):
            raise ReadError(f"{path.name}:{number}: not an RTTM SPEAKER line") from None
    return turns


def speaker_names(path: Path) -> dict[str, str]:
    """The label -> name mapping of the sidecar NAME.speakers.json / .yaml / .yml, if there is one."""
    for suffix in (".speakers.json", ".speakers.yaml", ".speakers.yml"):
        sidecar = _beside(path, suffix)
        if not sidecar.is_file():
            continue
        raw = sidecar.read_text(encoding="utf-8")
        try:
            if suffix == ".speakers.json":
                mapping = json.loads(raw)
            else:
                import yaml

                mapping = yaml.safe_load(raw)
        except Exception as err:
            raise ReadError(f"{sidecar.name}: not a speaker mapping ({type(err).__name__})") from None
        if not isinstance(mapping, dict):
            raise ReadError(f"{sidecar.name}: must map labels to names, e.g. SPEAKER_00: Amal Haddad")
        return {str(k): " ".join(str(v).split()) for k, v in mapping.items() if v}
    return {}


def transcript(segments: list[Segment]) -> tuple[str, list[tuple[int, int, float, float]]]:
    """Turns as `NAME: text` paragraphs (plain paragraphs when no speaker is known), with the
    offsets and times of every segment in that text."""
    parts: list[str] = []
    timecodes = []
    offset = 0
    previous = object()
    for s in segments:
        words = " ".join(normalise(s.text).split())
        if not words:
            continue
        if s.speaker != previous:
            opening = ("\n\n" if parts else "") + (f"{s.speaker}: " if s.speaker else "")
            previous = s.speaker
        else:
            opening = " "
        parts.append(opening)
        offset += len(opening)
        parts.append(words)
        timecodes.append((offset, offset + len(words), s.start_s, s.end_s))
        offset += len(words)
    text = "".join(parts)
    if not text.strip():
        raise ReadError("the transcript has no words")
    return text, timecodes
