"""The timeline drawn on the server: quotes per week as stacked bars (one colour per outlet, theme
or speaker, the rest grey), each bar a link to that week's quotes. Plain SVG, no script."""
from __future__ import annotations

from datetime import date, timedelta
from html import escape
from urllib.parse import urlencode

from markupsafe import Markup

COLOURS = ("#1f5fbf", "#c0392b", "#1f8a4c", "#8a5cd1", "#d68910", "#17808a")
WIDTH, HEIGHT, LEFT, BOTTOM = 900, 260, 40, 30
PARAM = {"outlet": "outlet", "theme": "theme", "speaker": "who"}


def all_weeks(weeks: list[str]) -> list[str]:
    """Every Monday from the first week to the last (weeks without quotes included)."""
    if not weeks:
        return []
    first, last = date.fromisoformat(weeks[0]), date.fromisoformat(weeks[-1])
    if (last - first).days > 7 * 2000:  # dates far apart (a stray year): keep the weeks that have quotes
        return weeks
    return [(first + timedelta(days=7 * n)).isoformat() for n in range((last - first).days // 7 + 1)]


def week_link(week: str, extra: dict | None = None) -> str:
    end = (date.fromisoformat(week) + timedelta(days=6)).isoformat()
    return "/quotes?" + urlencode({"date_from": week, "date_to": end, **(extra or {})})


def timeline_svg(data: dict, by: str) -> Markup:
    weeks = all_weeks(data["weeks"])
    if not weeks:
        return Markup("")
    top = max(data["all"].values())
    step = (WIDTH - LEFT) / len(weeks)
    scale = (HEIGHT - BOTTOM - 10) / top
    parts = [f'<svg class="timeline" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-label="Quotes per week, by {escape(by)}">',
             f'<text class="axis" x="{LEFT - 6}" y="16" text-anchor="end">{top}</text>',
             f'<text class="axis" x="{LEFT - 6}" y="{HEIGHT - BOTTOM}" text-anchor="end">0</text>']
    for i, week in enumerate(weeks):
        x = LEFT + i * step
        y = HEIGHT - BOTTOM
        shown = 0
        for n, series in enumerate(data["series"]):
            value = series["counts"].get(week, 0)
            if value:
                y -= value * scale
                shown += value
                href = week_link(week, {PARAM[by]: series["key"]})
                parts.append(f'<a href="{escape(href)}"><rect x="{x:.1f}" y="{y:.1f}" width="{max(step - 1, 1):.1f}" '
                             f'height="{value * scale:.1f}" fill="{COLOURS[n % len(COLOURS)]}">'
                             f'<title>{escape(series["label"])}, week of {week}: {value} quotes</title></rect></a>')
        rest = data["all"].get(week, 0) - shown
        if rest > 0:
            y -= rest * scale
            parts.append(f'<a href="{escape(week_link(week))}"><rect class="other" x="{x:.1f}" y="{y:.1f}" '
                         f'width="{max(step - 1, 1):.1f}" height="{rest * scale:.1f}">'
                         f'<title>week of {week}: {data["all"].get(week, 0)} quotes in all</title></rect></a>')
        if i % max(1, len(weeks) // 8) == 0:
            parts.append(f'<text class="axis" x="{x:.1f}" y="{HEIGHT - 10}">{week}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
