"""Where a quote's source stands in the parse: the subject of its cue (or the verb that cue hangs
on), a name the parser misplaced around the cue, a clause introducing the quote with a colon,
"according to", a name and a colon."""
from __future__ import annotations

INTRODUCING_PRONOUNS = {"he", "she", "they", "i", "we"}  # 'He put it this way:' introduces a quote


def quote_between(cue_i: int, first: int, last: int, inside) -> bool:
    """Another quoted stretch sits between the cue and this quote: the cue belongs to it."""
    lo, hi = (cue_i + 1, first) if cue_i < first else (last + 1, cue_i)
    return any(inside[i] for i in range(lo, hi))


def source_of(cue):
    """The token heading the source of a cue: its subject, the subject it shares with the verb it
    is coordinated with ("said X and added Y"), or the noun a relative clause hangs on."""
    token = cue
    for _ in range(3):
        subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None and token.pos_ == "NOUN":
            subject = next((c for c in token.children if c.dep_ == "poss"), None)
        if subject is not None:
            if subject.tag_ in ("WP", "WDT") and token.dep_ == "relcl":
                return token.head
            if subject.dep_ == "nsubjpass" and subject.lower_ == "it":
                return None
            return subject
        if token.head is not token and shares_subject(token):
            token = token.head
        elif token.dep_ == "pcomp" and token.tag_ == "VBG" and token.head.head is not token.head:
            token = token.head.head  # 'booed upon saying', 'answered by saying': the verb the phrase hangs on
        else:
            return None
    return None


def shares_subject(verb) -> bool:
    """A verb with no subject of its own takes its head's: "said X and added Y" (conj),
    "declined to say" (to-infinitive), "..., adding that" (participle)."""
    if verb.dep_ == "conj":
        return True
    if verb.dep_ == "xcomp":
        return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    return verb.dep_ == "advcl" and verb.tag_ == "VBG"


def inverted_object(cue, quote_last: int):
    """'"...," note Smith and Jones.': right after a quote the small model may read an inverted
    subject as an object; there, and only there, the object is the source."""
    if not 0 < cue.i - quote_last <= 3:
        return None
    obj = next((c for c in cue.children if c.dep_ == "dobj" and c.pos_ == "PROPN"), None)
    return obj


def subject_outside(cue, inside):
    """'"... Full panic mode," said Ann Roe': the parser gave the cue two subjects, a word of
    the quote and the name after the cue; the one outside the quotation marks is the source."""
    return next((c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass") and not inside[c.i]), None)


def outside_source(cue, inside):
    """The parser made a word of the quote the cue's subject: the speaker is the first name
    between the quotation and the cue ('"... the best," Rep. Ann Roe (D-Md.) said'), not what
    stands in brackets."""
    doc = cue.doc
    i = cue.i - 1
    while i >= 0 and not inside[i] and cue.i - i <= 12:
        i -= 1
    depth, run = 0, []
    for token in doc[i + 1:cue.i]:
        depth += token.text == "("
        depth -= token.text == ")"
        if depth == 0 and token.pos_ == "PROPN" and not token.text.endswith("."):
            run.append(token)
        elif run:
            break
    return run[-1] if run else None


def colon_before(doc, first_token) -> int | None:
    """The index of a colon right before the quote's opening mark, if there is one."""
    i = first_token.i - 1
    while i >= 0 and (doc[i].is_space or doc[i].text in "\"\u201c"):
        i -= 1
    return i if i >= 0 and doc[i].text == ":" else None


def introducing_cue(doc, first_token, inside, cues):
    """'The minister told the council:' then the quote, in the same sentence, the next or the next
    paragraph: the clause before the colon holds a cue verb with a subject, or a verb whose subject
    is named ('Cruz called them on it:', 'the board was firm in its findings:')."""
    colon = colon_before(doc, first_token)
    if colon is None:
        return None
    clause = [t for t in doc[colon].sent if t.i < colon and not inside[t.i]]
    cue = next((t for t in reversed(clause) if cues.is_cue_verb(t)), None)
    if cue is not None:
        return cue if source_of(cue) is not None else None
    return next((t for t in reversed(clause) if t.pos_ in ("VERB", "AUX") and named_subject(t)), None)


def named_subject(verb) -> bool:
    subject = source_of(verb)
    return subject is not None and (subject.pos_ == "PROPN" or subject.lower_ in INTRODUCING_PRONOUNS)


def name_label(doc, first_token, inside):
    """'Jeffrey M. Jones: "..."': a person's name and a colon right before the quote."""
    colon = colon_before(doc, first_token)
    if colon is None or colon == 0:
        return None
    before = doc[colon - 1]
    return None if inside[before.i] or before.ent_type_ != "PERSON" else before


def according_before(doc, quote_first: int, inside):
    """'According to Ann Roe, "..."': the "according" just before the quote, in its sentence,
    and the name it is according to."""
    sent = doc[quote_first].sent
    for token in doc[max(sent.start, quote_first - 12):quote_first]:
        if token.lower_ != "according" or inside[token.i]:
            continue
        to = next((c for c in token.children if c.lower_ == "to"), None)
        source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if source is not None and not inside[source.i]:
            return token, source
    return None


def name_before_cue(cue, quote_first: int, inside):
    """'..., her adviser, Jake Sullivan, said: "..."': the parser left the cue with no subject; the
    person named right before it (a comma between at most) is the source."""
    if cue.i >= quote_first:
        return None
    for ent in cue.doc.ents:
        if ent.label_ == "PERSON" and 0 <= cue.i - ent.end <= 1 and ent.sent.start == cue.sent.start \
                and not inside[ent.root.i] and all(t.is_punct for t in cue.doc[ent.end:cue.i]):
            return ent.root
    return None


def fronted_cue_source(cue, quote_first: int):
    """'Said Ellis: "..."': a cue that opens its sentence, then the speaker's name, then the quote."""
    if cue.i != cue.sent.start or cue.i >= quote_first:
        return None
    name = next((t for t in cue.doc[cue.i + 1:quote_first] if t.pos_ == "PROPN"), None)
    return name if name is not None and name.i - cue.i <= 4 else None


def cue_text(cue) -> str:
    particle = next((c for c in cue.children if c.dep_ == "prt"), None)
    return f"{cue.text} {particle.text}" if particle is not None else cue.text
