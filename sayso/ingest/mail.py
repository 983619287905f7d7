"""E-mail: .eml (one message) and .mbox (one document per message).

The subject is the title, the sender the source, the date the date. What the sender wrote is
analysed; what they quote (">" lines, the "On ... wrote:" line above them, a forwarded or
"Original Message" block) and their signature (after "-- ") are left out.
"""
from __future__ import annotations

import email
import mailbox
import re
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path

from ..model import Document
from .readers import make_document
from .text import ReadError

_ATTRIBUTION = re.compile(r"^(?:On .{0,200}wrote:|Am .{0,200}schrieb .{0,80}:|Le .{0,200}a écrit\s?:)\s*$", re.IGNORECASE)
_QUOTED_BLOCK = re.compile(r"^-{2,}\s*(?:Original Message|Forwarded message|Begin forwarded message)\s*-{0,}\s*$"
                           r"|^From: .+$(?=\n(?:Sent|Date): )", re.IGNORECASE | re.MULTILINE)
_SIGNATURE = re.compile(r"^-- ?$|^(?:Sent from my \w+|Get Outlook for \w+)", re.IGNORECASE)


def read_eml(path: Path) -> Iterator[Document]:
    with path.open("rb") as handle:
        message = email.message_from_binary_file(handle, policy=policy.default)
    if not message.keys():
        raise ReadError("not an e-mail message: no headers")
    yield message_document(message, path.stem, path)


def read_mbox(path: Path) -> Iterator[Document | ReadError]:
    box = mailbox.mbox(str(path), factory=None, create=False)
    found = False
    try:
        for number, key in enumerate(box.iterkeys(), start=1):
            found = True
            try:
                message = email.message_from_bytes(box.get_bytes(key), policy=policy.default)
                yield message_document(message, f"{path.stem}-{number}", path)
            except ReadError as err:
                yield ReadError(f"message {number}: {err.message}")
            except Exception as err:  # a damaged message: name it and read the next
                yield ReadError(f"message {number}: unreadable ({type(err).__name__})")
    finally:
        box.close()
    if not found:
        raise ReadError("no messages in this mbox file (messages start with a 'From ' line)")


def message_document(message: EmailMessage, doc_id: str, path: Path) -> Document:
    body = _body(message)
    if body is None:
        raise ReadError("no text part in this message")
    text = own_words(body)
    if not text.strip():
        raise ReadError("empty message: nothing but quoted text or a signature")
    name, address = parseaddr(str(message.get("From", "")))
    subject = " ".join(str(message.get("Subject", "")).split()) or None
    return make_document(doc_id, text, path=str(path), title=subject, date=_date(message.get("Date")),
                         source=name or address or None)


def _body(message: EmailMessage) -> str | None:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return None
    content = part.get_content()
    if part.get_content_subtype() == "html":
        import trafilatura

        root = _own_html(content)
        if root is None:
            return ""
        import lxml.html

        content = trafilatura.extract(lxml.html.tostring(root, encoding="unicode"), include_comments=False)
        content = content or _html_text(root)
    return content


# Where mail programs put the message replied to: quoted blocks, Gmail's and Thunderbird's quote
# containers, Outlook's reply header (everything after it is the earlier message).
_QUOTED_HTML = ("//blockquote|//*[contains(@class, 'gmail_quote')]|//*[contains(@class, 'moz-cite-prefix')]"
                "|//script|//style")
_REPLY_HEADER = "//*[@id='divRplyFwdMsg' or @id='appendonsend']"


def _own_html(html: str):
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except Exception:
        return None
    for header in root.xpath(_REPLY_HEADER):
        for later in list(header.itersiblings()):
            later.drop_tree()
        header.drop_tree()
    for quoted in root.xpath(_QUOTED_HTML):
        quoted.drop_tree()
    return root


def _html_text(root) -> str:
    """All the text of a short HTML message, a block a paragraph (trafilatura wants an article's length)."""
    blocks = (" ".join(el.text_content().split()) for el in root.xpath("//p|//div[not(.//p|.//div)]|//li|//td"))
    return "\n\n".join(b for b in blocks if b)


def own_words(body: str) -> str:
    """The body without quoted replies, forwarded blocks and the signature."""
    lines = body.replace("\r\n", "\n").split("\n")
    kept = []
    for i, line in enumerate(lines):
        if _SIGNATURE.match(line) or _QUOTED_BLOCK.match("\n".join(lines[i:i + 2])):
            break
        if line.startswith(">From "):
            line = line[1:]  # mbox escapes a line starting "From " this way: it is the writer's own
        elif line.lstrip().startswith(">"):
            continue
        if _ATTRIBUTION.match(line.strip()) and _quote_follows(lines, i):
            continue
        kept.append(line)
    return "\n".join(kept).strip()


def _quote_follows(lines: list[str], i: int) -> bool:
    following = next((ln for ln in lines[i + 1:] if ln.strip()), "")
    return following.lstrip().startswith(">") or not following


def _date(raw) -> str | None:
    if not raw:
        return None
    try:
        return parsedate_to_datetime(str(raw)).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None
