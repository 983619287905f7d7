"""Formats benchmark: one article written as .txt, .docx, .pdf (two pages), .eml and inside a
.warc must give the same quotes and speakers; how fast each format is read; and the peak memory
of reading a large WARC (it must stay flat as the archive grows).

    python bench/formats.py [--copies 20] [--warc-mb 200] [--skip-warc]

Prints, per format: quotes found, share identical to the .txt quotes (same speaker, same words),
PDF quotes on the right page, read time per document beside analysis time per document; then
peak RSS of a process reading a small and a large generated WARC.
"""
from __future__ import annotations

import argparse
import io
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TITLE = "Water plant reopens after months of repairs"
# The article is written for this benchmark (not taken from any outlet).
PARAGRAPHS = [
    "The water treatment plant that serves the eastern half of Dunmore reopened on Thursday, seven months "
    "after a flood filled its pump hall with mud and forced the town to truck in drinking water.",
    "\u201cEvery tap in the eastern districts is running clean water again,\u201d said Helena Varga, the "
    "engineer who led the repairs. \u201cWe tested each line twice before we opened the valves.\u201d",
    "The plant was built in 1978 and had not been modernised since the late 1990s. Its three main pumps "
    "were destroyed when the river broke its banks in March, and replacement parts had to be ordered from "
    "two manufacturers abroad.",
    "Mayor Tobias Lund said the town had spent more than 4 million euros on the work, most of it from an "
    "emergency fund set up by the regional government. He told reporters that the final bill would be "
    "published next month.",
    "\u201cPeople were patient with us for a very long time, and they deserve to know where the money went,\u201d "
    "Lund said at a briefing outside the town hall.",
    "Residents of the eastern districts had collected water from tankers parked at schools and churches "
    "since the spring. Some of them queued for an hour each morning before work.",
    "\u201cI carried two buckets up four floors every day for half a year,\u201d said Marta Kowalczyk, a retired "
    "teacher who lives near the old market. \u201cMy neighbours helped, but it wore us all out.\u201d",
    "According to the regional health office, no case of illness linked to the water supply was recorded "
    "during the months of repairs. The office said it would keep testing samples from the network every "
    "week until the end of the year.",
    "Not everyone is satisfied. A group of shop owners near the river says the town ignored warnings about "
    "the state of the flood defences for years.",
    "\u201cWe wrote to the council in 2019 and again in 2022, and nobody answered,\u201d said Idris Okafor, who "
    "runs a bakery on the embankment. He said his shop had been closed for eleven weeks after the flood.",
    "The council has promised an independent review of the flood defences. Its chairman, Paul Brenner, said "
    "the review would be led by engineers from outside the region and would report before the winter.",
    "\u201cWe will not wait for the next flood to find out what went wrong,\u201d Brenner said. \u201cThe "
    "review will be public, and so will its recommendations.\u201d",
    "Engineers at the plant say the new pumps sit on concrete platforms two metres above the old floor, "
    "high enough, they believe, to stay dry in a flood as large as the one in March.",
    "Varga said the plant could now treat about 18,000 cubic metres of water a day, a fifth more than "
    "before the flood. \u201cWe did not just repair it,\u201d she said. \u201cWe built it to last another "
    "forty years.\u201d",
    "The tankers will stay in the eastern districts until Sunday, the water company said, in case any "
    "building still has problems with its pipes.",
]
FORMATS = ("txt", "docx", "pdf", "eml", "warc")


def article_text() -> str:
    return "\n\n".join([TITLE, *PARAGRAPHS])


def write_txt(path: Path) -> None:
    path.write_text(article_text() + "\n", encoding="utf-8")


def write_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading(TITLE, level=1)
    for paragraph in PARAGRAPHS:
        document.add_paragraph(paragraph)
    document.save(path)


def write_pdf(path: Path) -> None:
    """Two pages of A4 with a running header and page numbers (which must not reach the text)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    body = styles["BodyText"].clone("body", fontSize=12.5, leading=17)

    def furniture(canvas, document):
        canvas.saveState()
        canvas.setFont("Helvetica", 9)
        canvas.drawString(72, A4[1] - 40, "Dunmore Weekly \u2014 Local news")
        canvas.drawCentredString(A4[0] / 2, 30, str(document.page))
        canvas.restoreState()

    story = [Paragraph(TITLE, styles["Title"]), Spacer(1, 12)]
    story += [Paragraph(p, body) for p in PARAGRAPHS]
    SimpleDocTemplate(str(path), pagesize=A4, title=TITLE).build(story, onFirstPage=furniture, onLaterPages=furniture)


def write_eml(path: Path) -> None:
    from email.message import EmailMessage

    mail = EmailMessage()
    mail["From"] = "Dunmore Weekly <desk@dunmore.example>"
    mail["To"] = "subscribers@dunmore.example"
    mail["Subject"] = TITLE
    mail["Date"] = "Thu, 11 Jun 2026 09:00:00 +0000"
    mail.set_content("\n\n".join(PARAGRAPHS) + "\n\n-- \nDunmore Weekly newsletter\nUnsubscribe: reply STOP\n")
    path.write_bytes(bytes(mail))


def article_html() -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{TITLE} | Dunmore Weekly</title>"
            f"<meta name='date' content='2026-06-11'></head><body>"
            f"<nav><a href='/'>Home</a> <a href='/local'>Local</a> <a href='/sport'>Sport</a></nav>"
            f"<article><h1>{TITLE}</h1>{paragraphs}</article>"
            f"<footer>Copyright Dunmore Weekly. All rights reserved.</footer></body></html>")


def warc_record(writer, url: str, content_type: str, body: bytes) -> None:
    from warcio.statusandheaders import StatusAndHeaders

    headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))


def write_warc(path: Path) -> None:
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        warc_record(writer, "https://dunmore.example/local/water-plant", "text/html; charset=utf-8",
                    article_html().encode("utf-8"))
        warc_record(writer, "https://dunmore.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + os.urandom(2048))


WRITERS = {"txt": write_txt, "docx": write_docx, "pdf": write_pdf, "eml": write_eml, "warc": write_warc}


def suffix(kind: str) -> str:
    return ".warc.gz" if kind == "warc" else f".{kind}"


def words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def quote_key(quote) -> tuple[str, str]:
    return (quote.speaker.name or "", words(quote.text))


def compare(folder: Path) -> dict:
    from sayso.analyze import analyze_pairs
    from sayso.ingest import IngestError, read_file

    results = {}
    for kind in FORMATS:
        path = folder / f"article{suffix(kind)}"
        WRITERS[kind](path)
        items = list(read_file(path))
        docs = [i for i in items if not isinstance(i, IngestError)]
        if len(docs) != 1:
            raise SystemExit(f"{kind}: expected one document, got {items}")
        ((document, analysis),) = list(analyze_pairs(docs))
        results[kind] = (document, analysis)
    return results


def pdf_pages_truth(path: Path) -> list[str]:
    from pdfminer.high_level import extract_text

    text = extract_text(str(path))
    return [words(page.replace("-\n", "")) for page in text.split("\f") if page.strip()]


def report_agreement(results: dict, folder: Path) -> None:
    reference = {quote_key(q) for q in results["txt"][1].quotes}
    print(f"{'format':7} {'quotes':>6} {'same as .txt':>13} {'title':>6}  speakers")
    for kind, (document, analysis) in results.items():
        keys = {quote_key(q) for q in analysis.quotes}
        same = len(keys & reference) / max(len(keys | reference), 1)
        speakers = sorted({q.speaker.name or "?" for q in analysis.quotes})
        print(f"{kind:7} {len(analysis.quotes):6d} {same:13.1%} {'ok' if document.title == TITLE else 'NO':>6}  "
              f"{', '.join(speakers)}")
    pages = pdf_pages_truth(folder / "article.pdf")
    quotes = results["pdf"][1].quotes
    right = sum(1 for q in quotes if q.page and words(q.text)[:40] in pages[q.page - 1])
    per_page = ", ".join(f"page {n}: {sum(q.page == n for q in quotes)}" for n in range(1, len(pages) + 1))
    print(f"pdf: {len(pages)} pages; quotes on the right page {right}/{len(quotes)} ({per_page})")


def throughput(folder: Path, copies: int) -> None:
    """Read time per document for each format (N distinct files), beside the analysis time."""
    from sayso.analyze import analyze_pairs
    from sayso.ingest import read_file

    global PARAGRAPHS
    original = PARAGRAPHS
    timings = {}
    docs = []
    for kind in FORMATS:
        paths = []
        for n in range(copies):
            PARAGRAPHS = [f"{p} (Edition {n}.)" if i == 0 else p for i, p in enumerate(original)]
            path = folder / f"copy-{n}{suffix(kind)}"
            WRITERS[kind](path)
            paths.append(path)
        PARAGRAPHS = original
        start = time.perf_counter()
        read = [d for p in paths for d in read_file(p)]
        timings[kind] = (time.perf_counter() - start) / copies
        docs.extend(read if kind == "txt" else [])
    list(analyze_pairs(docs[:1]))  # load the model outside the timing
    start = time.perf_counter()
    list(analyze_pairs(docs))
    analysis = (time.perf_counter() - start) / len(docs)
    print(f"read time per document ({copies} files each), against analysis {analysis * 1000:.0f} ms/document:")
    for kind, seconds in timings.items():
        print(f"  {kind:5} {seconds * 1000:7.1f} ms  ({seconds / analysis:.0%} of the analysis time)")


WARC_READER = """
import sys, time
from pathlib import Path
from sayso.ingest import IngestError, read_file
start = time.perf_counter()
docs = errors = 0
for item in read_file(Path(sys.argv[1])):
    if isinstance(item, IngestError):
        errors += 1
    else:
        docs += 1
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent that forked this process
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(docs, errors, peak // 1024, round(time.perf_counter() - start, 1))
"""


def write_big_warc(path: Path, megabytes: int, pages: int) -> None:
    """HTML articles spread among large binary responses (images, video) up to `megabytes`."""
    from warcio.warcwriter import WARCWriter

    html = article_html().encode("utf-8")
    blob = os.urandom(1024 * 1024)
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        binaries = max(megabytes - 1, 1)
        every = max(binaries // max(pages, 1), 1)
        written = 0
        for n in range(binaries):
            warc_record(writer, f"https://dunmore.example/media/{n}.mp4", "video/mp4", blob)
            if n % every == 0 and written < pages:
                page = html.replace(b"</article>", f"<p>Page {n} of the archive.</p></article>".encode())
                warc_record(writer, f"https://dunmore.example/local/{n}", "text/html; charset=utf-8", page)
                written += 1


def warc_memory(folder: Path, megabytes: int, pages: int) -> None:
    print("peak memory reading a WARC (fresh process each):")
    for size in (megabytes // 10, megabytes):
        path = folder / f"big-{size}.warc.gz"
        write_big_warc(path, size, pages)
        out = subprocess.run([sys.executable, "-c", WARC_READER, str(path)], capture_output=True, text=True,
                             cwd=ROOT, check=True).stdout.split()
        docs, errors, rss, seconds = out
        print(f"  {path.stat().st_size / 2**20:7.0f} MB archive: {docs} documents, {errors} errors, "
              f"peak RSS {rss} MB, {seconds} s")
        path.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--warc-mb", type=int, default=200)
    parser.add_argument("--warc-pages", type=int, default=100)
    parser.add_argument("--skip-warc", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sayso-formats-") as tmp:
        folder = Path(tmp)
        report_agreement(compare(folder), folder)
        throughput(folder, args.copies)
        if not args.skip_warc:
            warc_memory(folder, args.warc_mb, args.warc_pages)


if __name__ == "__main__":
    main()
