"""An `Analysis` as HTML for a notebook: the document view of `sayso serve` in one cell output.

    result = sayso.analyze(text)
    result                    # in Jupyter: the text with quotes, speakers, places, counts marked

The output needs no network and no notebook extension: every style is an inline `style`
attribute (a notebook that is not trusted, or a site that renders notebooks, may drop `<style>`
blocks but keeps those), there is no script, and every piece of text is escaped.

An `Analysis` does not carry its document's text (the JSON contract does not include it), so the
text rides along on a private attribute, `_text`, that `to_dict()` never sees; `sayso.analyze`
and `Store.analysis` set it, and `attach_text` sets it on any other analysis. Without it the view
shows the quotes as a table."""
from __future__ import annotations

from html import escape

from .ingest.readers import sha256
from .ingest.text import normalise
from .web.highlight import segments

TEXT_ATTR = "_text"

_BOX = ("font:14px/1.6 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1d2330;background:#fff;"
        "border:1px solid #d9dde5;border-radius:4px;padding:.8rem 1rem;max-width:60rem")
_TEXT = "white-space:pre-wrap;line-height:1.75;margin:.6rem 0 0;max-height:40rem;overflow-y:auto"
_MUTED = "color:#5c6575;font-size:.85em"
_LABEL = ("display:inline-block;margin-left:.3em;padding:0 .35em;border-radius:3px;background:#2d3a52;color:#fff;"
          "font-size:.72em;line-height:1.35;font-weight:600;vertical-align:.12em;white-space:nowrap;user-select:none")
_CELL = "text-align:left;padding:.25rem .5rem;border-bottom:1px solid #d9dde5;vertical-align:top"

# the page's classes (sayso/web/static/style.css) as inline declarations
_STYLES = {
    "direct": "background:#fff1c2",
    "indirect": "background:#dcefff",
    "according_to": "background:#e6f6e6",
    "person": "border-bottom:2px solid #8a5cd1",
    "place": "border-bottom:2px dotted #1f8a4c;font-weight:600",
    "count": "border-bottom:2px solid #c0392b",
    "correction": "background:#fde2e1",
    "says-right": "box-shadow:inset 0 -3px 0 #2e8b57",  # the passage a correction notice is about
    "says-wrong": "box-shadow:inset 0 -3px 0 #c0392b",
}
_LEGEND = (("direct", "direct quote"), ("indirect", "reported speech"), ("according_to", "according to"),
           ("person", "person"), ("place", "place"), ("count", "count"), ("correction", "correction"))


def attach_text(analysis, text: str):
    """Give `analysis` the text its offsets point into, for display; returns the analysis.
    `text` may be the text as given to `sayso.analyze` (it is normalised the same way). A text
    that is not the analysed one is refused: its highlights would fall on the wrong words."""
    for candidate in (text, normalise(text)):
        if not analysis.text_sha256 or sha256(candidate) == analysis.text_sha256:
            setattr(analysis, TEXT_ATTR, candidate)
            return analysis
    raise ValueError(f"{analysis.doc}: this is not the text that was analysed (its SHA-256 differs)")


def analysis_html(analysis) -> str:
    """The highlighted document view of `analysis`, as one self-contained HTML fragment."""
    text = getattr(analysis, TEXT_ATTR, None)
    body = _marked_text(text, analysis) if text else _missing_text()
    return f'<div class="sayso-analysis" style="{_BOX}">{_header(analysis)}{body}{_themes(analysis)}' \
           f'{_quote_table(analysis)}</div>'


def _header(analysis) -> str:
    title = escape(analysis.title or analysis.doc)
    ident = f"{escape(analysis.doc)} · " if analysis.title else ""
    speakers = {q.speaker.name or q.speaker.mention for q in analysis.quotes} - {None}
    figures = [(len(analysis.quotes), "quote"), (len(speakers), "speaker"), (len(analysis.entities), "entity"),
               (len(analysis.places), "place"), (len(analysis.counts), "count"),
               (len(analysis.corrections), "correction")]
    summary = " · ".join(_plural(n, word) for n, word in figures)
    language = f" · language {escape(analysis.language)}" if analysis.language else ""
    legend = " ".join(f'<span style="{_STYLES[c]};padding:0 .3em">{label}</span>' for c, label in _LEGEND)
    return (f'<div style="font-weight:700;font-size:1.1em">{title}</div>'
            f'<div style="{_MUTED}">{ident}{summary}{language}</div>'
            f'<div style="{_MUTED};margin-top:.3rem">{legend}</div>')


def _plural(n: int, word: str) -> str:
    if n == 1:
        return f"1 {word}"
    return f"{n} {word[:-1] + 'ies' if word.endswith('y') else word + 's'}"


def _marked_text(text: str, analysis) -> str:
    parts = []
    for s in segments(text, analysis):
        piece = escape(s.text)
        style = ";".join(_STYLES[c] for c in s.classes if c in _STYLES)
        if style or s.title:
            piece = f'<span style="{escape(style)}" title="{escape(s.title)}">{piece}</span>'
        if s.label:
            piece += f'<span style="{_LABEL}">{escape(s.label)}</span>'
        parts.append(piece)
    return f'<div style="{_TEXT}">{"".join(parts)}</div>'


def _missing_text() -> str:
    return (f'<p style="{_MUTED}">The document text is not attached to this analysis: '
            "<code>sayso.notebook.attach_text(analysis, text)</code> shows it highlighted.</p>")


def _themes(analysis) -> str:
    if not analysis.themes:
        return ""
    tags = " ".join(f'<span style="background:#eef2f8;border-radius:3px;padding:0 .4em" '
                    f'title="{escape(t.code)}">{escape(t.label)} {t.score:.2f}</span>' for t in analysis.themes)
    return f'<div style="margin-top:.6rem"><span style="{_MUTED}">themes</span> {tags}</div>'


def _quote_table(analysis) -> str:
    if not analysis.quotes:
        return f'<p style="{_MUTED}">No quotes found.</p>'
    head = "".join(f'<th style="{_CELL};{_MUTED}">{h}</th>' for h in ("id", "speaker", "kind", "cue", "quote"))
    rows = []
    for q in analysis.quotes:
        who = q.speaker.name or q.speaker.mention or "unknown speaker"
        described = ", ".join(x for x in (q.speaker.role, q.speaker.org) if x)
        who_cell = escape(who) + (f'<div style="{_MUTED}">{escape(described)}</div>' if described else "")
        cells = (escape(q.id), who_cell, escape(q.kind.replace("_", " ")), escape(q.cue or ""),
                 f'<span style="{_STYLES.get(q.kind, "")}">{escape(q.text)}</span>')
        rows.append("<tr>" + "".join(f'<td style="{_CELL}">{c}</td>' for c in cells) + "</tr>")
    return (f'<details style="margin-top:.6rem"><summary style="cursor:pointer">{_plural(len(rows), "quote")}'
            f'</summary><table style="border-collapse:collapse;margin-top:.3rem"><tr>{head}</tr>{"".join(rows)}'
            "</table></details>")
