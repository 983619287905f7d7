"""Bytes to the text sayso stores: decoding (BOMs, UTF-8, then the common encodings before exotic
guesses), refusing what is not text, and the normalisation every offset points into."""
from __future__ import annotations

import codecs
import unicodedata


class ReadError(Exception):
    """A file (or one record of it) that cannot become a document; `message` is one line."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


# Longest BOM first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"
_SAMPLE = 65536
# Encodings Western text is written in: when one of them reads the bytes as cleanly as the
# detector's favourite, it wins (Latin-1 "naïve" is not cp1250 "naďve").
_COMMON = ("cp1252", "latin_1", "iso8859_15")
_MULTIBYTE = {"gb18030", "gb2312", "gbk", "big5", "big5hkscs", "cp932", "shift_jis", "euc_jp", "euc_kr", "cp949",
              "cp950", "iso2022_jp", "johab"}


def decode(data: bytes) -> tuple[str, str | None]:
    """Decode bytes to text; the second value is a warning when the bytes were not UTF-8."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_strict(data[len(bom):], encoding), None
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _decode_strict(data, utf16), f"no byte-order mark; decoded as {utf16}"
    if _looks_binary(data):
        raise ReadError("binary file: not a text document")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly is not None:
        return mostly, "not valid UTF-8 throughout; the invalid bytes were replaced"
    encoding = _guess_encoding(data)
    return data.decode(encoding, errors="replace"), f"not valid UTF-8; decoded as {encoding}"


def _decode_strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise ReadError(f"not valid {encoding} although it says so (byte {err.start})") from None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text of a Latin script has a NUL in every other byte."""
    sample = data[:_SAMPLE - _SAMPLE % 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _looks_binary(data: bytes) -> bool:
    head = data[:1024]
    if b"\x00" in head:
        return True
    sample = data[:_SAMPLE]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > 0.02 * len(sample)


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 text with a few stray bytes (a damaged copy, a file joined from two): decoded as UTF-8
    with the stray bytes replaced, rather than all of it read as a single-byte encoding."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 0x7f) - bad
    return text if good >= 3 and bad <= max(2, good // 20) else None


def _guess_encoding(data: bytes) -> str:
    sample = data[:_SAMPLE]
    from charset_normalizer import from_bytes

    matches = list(from_bytes(sample))
    best = min((m.chaos for m in matches), default=1.0)
    ascii_text = len(sample.translate(None, bytes(range(0x80, 0x100))))
    # Text in a single-byte code page has its spaces and punctuation in ASCII; only East Asian
    # multibyte text can do without, and then it must read cleanly.
    cjk_only = ascii_text < 0.05 * len(sample) and not (best <= 0.05 and matches[0].encoding in _MULTIBYTE)
    if not matches or best > 0.3 or cjk_only:
        raise ReadError("binary or undecodable file: not a text document")
    guess = matches[0].encoding
    if any(m.encoding in _COMMON and m.chaos <= best + 0.02 for m in matches):
        western = "cp1252" if _fits_cp1252(sample) else "latin_1"
        # as clean as the favourite: Western wins unless it puts symbols inside words ("powiedzia³")
        if _symbols_in_words(sample.decode(western)) <= _symbols_in_words(sample.decode(guess, errors="replace")):
            return western
    return guess


def _symbols_in_words(text: str) -> int:
    """Non-ASCII symbols touching a letter: the mark of a text read in the wrong code page."""
    count = 0
    for i, ch in enumerate(text):
        if ord(ch) > 0x7f and unicodedata.category(ch)[0] in "NPS" and unicodedata.category(ch) not in _FINE:
            if (i and text[i - 1].isalpha()) or (i + 1 < len(text) and text[i + 1].isalpha()):
                count += 1
    return count


_FINE = {"Pi", "Pf", "Pd", "Ps", "Pe", "Sc"}  # quotes, dashes, brackets, currency signs


def _fits_cp1252(data: bytes) -> bool:
    try:
        data.decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False


# Zero-width characters, direction marks, word joiners and soft hyphens: invisible, and they
# would split or glue names.
_INVISIBLE = ("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
              "\u2060\u2061\u2062\u2063\u2064\u061c\u00ad\u180e")
# Control characters other than newline and tab (C0, DEL, C1); line and page breaks become newlines.
_CONTROLS = "".join(chr(c) for c in [*range(0, 9), *range(14, 32), *range(0x7f, 0xa0)] if c != 0x85)
_STRIP = str.maketrans({**{c: None for c in _INVISIBLE + _CONTROLS},
                        "\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n\n"})


def normalise(text: str) -> str:
    """The text sayso stores and every offset points into: one newline style, no BOM, no control
    characters but newline and tab, no zero-width or direction marks, no blank space at the end."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_STRIP)
    return text.rstrip()
