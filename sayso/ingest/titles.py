"""The headline of a plain text: the first line that is not site chrome.

Text copied from a web page often starts with what surrounded the article: "Accessibility links",
"Skip to content", "Breaking News", share and print buttons, cookie notices, menus. trafilatura
drops those from HTML by their markup; in plain text only the words are left, so they are
recognised by their wording and shape (short, a known label, a row of menu items).
"""
from __future__ import annotations

import re

MAX_TITLE = 200

_SOCIAL = r"(?:facebook|twitter|x|whatsapp|linkedin|reddit|pinterest|telegram|e-?mail|messenger|flipboard)"
_CHROME = re.compile(
    r"^(?:"
    r"accessibility(?: links| help| statement)?|skip (?:to|navigation)\b.*|jump to\b.*|"
    r"breaking(?: news)?|live(?: updates| now)?|latest(?: news| stories)?|top stories|trending(?: now| topics)?|"
    r"most (?:read|popular|viewed|shared)|editor'?s picks|just in|"
    r"share(?: this)?(?: article| story| page| post| on " + _SOCIAL + r")?|(?:share|post) (?:on|to|via) \w+|"
    r"print(?: this)?(?: article| story| page)?|e-?mail(?: this)?(?: article| story| page)?|"
    r"tweet|" + _SOCIAL + r"|copy(?: the)? link|comments?(?: \(\d+\))?|\d+ comments?|"
    r"sign (?:in|up|out)|log ?(?:in|out)|register|subscribe(?: now| today)?|newsletters?|my account|"
    r"(?:main |site )?menu|(?:toggle |site |main )?navigation|open (?:menu|navigation)|close(?: menu)?|"
    r"search(?: this site)?|home(?: ?page)?|back to top|go to top|top of page|"
    r"advertisement|advertising|sponsored(?: content)?|ad|ads by \w+|"
    r"accept(?: all)?(?: cookies)?|reject all|manage (?:preferences|cookies|settings)|"
    r"listen(?: to this (?:article|story))?(?: \d+ min)?|watch(?: live| now| video)?|play video|video|audio|"
    r"read more|related(?: articles| stories| content| topics| coverage)?|see also|more on this story|"
    r"follow us(?: on .*)?|(?:photo|image|video) gallery|view comments|"
    r"(?:©|\(c\)|copyright)\b.*|all rights reserved\.?|"
    r"(?:last )?(?:updated|published|posted)(?: on| at)?:? .{0,40}|\d+ (?:min(?:ute)?s?|hours?) (?:ago|read)"
    r")[.!:]?$",
    re.IGNORECASE,
)
_COOKIES = re.compile(r"\bcookies?\b.*\b(?:use|accept|consent|settings|policy|experience|browse|agree)\b"
                      r"|\b(?:use|accept|consent|settings|policy|agree)\b.*\bcookies?\b", re.IGNORECASE)
_MENU_SEPARATORS = re.compile(r"\s*[|•·»›]\s*|\s{3,}")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*,?\s+)?"
_CLOCK = r"(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?"
_DATE_LINE = re.compile(  # a dateline on its own: "Monday, June 5, 2026", "5 June 2026 10:04", "2026-06-05"
    rf"^{_DAY}(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|"
    rf"\d{{1,2}}/\d{{1,2}}/\d{{2,4}}){_CLOCK}$", re.IGNORECASE)
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_BYLINE = re.compile(r"^[Bb]y\s+[A-Z][\w.'\u2019-]*(?:\s+(?:[A-Z][\w.'\u2019-]*|and|&|,))*\.?$")


def is_chrome(line: str) -> bool:
    """True for a line of site chrome (navigation, share/print buttons, cookie notices, labels)."""
    line = line.strip().strip("#*_ ").strip()
    if not line:
        return True
    if _CHROME.match(line) or _URL.match(line) or _BYLINE.match(line) or _DATE_LINE.match(line):
        return True
    if len(line) < 400 and _COOKIES.search(line):
        return True
    return _is_menu(line)


def _is_menu(line: str) -> bool:
    """A row of menu items: three or more short labels between separators ("Home | News | Sport")."""
    parts = [p for p in _MENU_SEPARATORS.split(line) if p]
    return len(parts) >= 3 and all(len(p.split()) <= 3 for p in parts)


def headline(text: str, not_before: int | None = None) -> str | None:
    """The first line of `text` that is not chrome, when it reads as a headline: a line of its own
    at most MAX_TITLE characters long, not ending in a colon, with more text after it.
    `not_before`: offset of the first transcript turn, which is never a headline."""
    lines = text.split("\n")
    offset = 0  # where the next line starts
    for number, raw in enumerate(lines):
        line = raw.strip()
        offset += len(raw) + 1
        if is_chrome(line):
            continue
        if not_before is not None and not_before < offset:
            return None
        title = _MARKDOWN_HEADING.sub("", line)  # "# Title", not "#hashtag"
        rest = "\n".join(lines[number + 1:]).strip()
        if len(title) > MAX_TITLE or title.endswith(":") or not rest:
            return None
        if len(title.split()) == 1 and _next_is_headline(lines[number + 1:]):
            continue  # a section label ("World", "Politics") above the headline
        return title
    return None


def _next_is_headline(lines: list[str]) -> bool:
    following = next((ln.strip() for ln in lines if not is_chrome(ln)), "")
    return 1 < len(following.split()) and len(following) <= MAX_TITLE
