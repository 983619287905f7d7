"""Counts in the GDELT sense: a number, what is counted and how the number is hedged
("more than 100 deserters", "a dozen recruits", "hundreds of families"). Years, dates, ages,
durations, money, percentages, ordinals and numbers inside names are not counts."""
from __future__ import annotations

import re

from . import text_of
from ..model import Count

UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
         "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
         "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
         "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
         "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
# Collective words and the number they stand for; plural forms ("dozens of") are vague counts.
COLLECTIVES = {"dozen": 12, "dozens": 24, "hundreds": 200, "thousands": 2000, "millions": 2_000_000,
               "handful": 5, "score": 20, "scores": 40, "couple": 2, "pair": 2, "tens": 20}
VAGUE = {"dozens": "dozens of", "hundreds": "hundreds of", "thousands": "thousands of",
         "millions": "millions of", "handful": "a handful of", "scores": "scores of", "tens": "tens of"}
QUALIFIERS = ["between", "more than", "less than", "fewer than", "at least", "at most", "up to", "as many as",
              "as few as", "no fewer than", "no more than", "nearly", "almost", "about", "around",
              "approximately", "roughly", "some", "over", "under", "some", "an estimated", "estimated",
              "close to", "upwards of", "only", "just", "about", "several"]
NOT_COUNTED = {"year", "month", "week", "day", "hour", "minute", "second", "decade", "century", "time",
               "percent", "per", "cent", "dollar", "euro", "pound", "lira", "km", "kilometre", "kilometer",
               "mile", "meter", "metre", "foot", "feet", "inch", "kg", "kilogram", "ton", "tonne", "point",
               "degree", "%", "am", "pm", "o'clock", "page", "step", "part", "way",
               # measurements and speed limits, street addresses ("the 1200 block of")
               "acre", "hectare", "mph", "kph", "yard", "gallon", "litre", "liter", "ounce", "lb", "gram", "cm",
               "mm", "ft", "square", "block"}
# Said of people harmed, held or moved: the verbs and states an elided "people" is counted by
# ("12 were injured", "N dead and M wounded", "wounded 12 more"), and that make "one" a count.
CASUALTY_EVENTS = {"kill": "kill", "die": "die", "injure": "injure", "wound": "wound", "hurt": "hurt",
                   "arrest": "arrest", "detain": "detain", "rescue": "rescue", "evacuate": "evacuate",
                   "displace": "displace", "abduct": "abduct", "kidnap": "kidnap", "execute": "execute",
                   "shoot": "shoot", "stab": "stab", "hospitalize": "hospitalize", "charge": "charge",
                   "hospitalise": "hospitalise", "missing": "miss", "dead": "kill", "injured": "injure",
                   "wounded": "wound", "killed": "kill", "arrested": "arrest", "detained": "detain",
                   "hurt": "hurt", "displaced": "displace"}
LEGAL_COUNTS = {"count", "charge", "offense", "offence"}  # "charged with one count of": not one person
TOLL_VERBS = {"rise", "climb", "reach", "jump", "increase", "grow", "stand", "hit", "soar"}
EMERGENCY_NUMBERS = {"911", "999", "112", "000", "111"}
PAIRED_THINGS = {"scissors", "trousers", "pants", "jeans", "shorts", "glasses", "spectacles", "pliers", "tongs",
                 "binoculars", "handcuffs", "tweezers", "shears", "goggles"}
EXCLUDED_ENTS = {"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"}


def parse_number(words: list[str]) -> float | None:
    """'3', '1,200', '2.5 million', 'twenty-five', 'three hundred', 'a dozen' -> value."""
    total, current, seen, factor = 0.0, 0.0, False, 1.0
    for k, raw in enumerate(words):
        word = raw.lower().replace(",", "")
        previous = words[k - 1] if k else ""
        if word in ("a", "an", "and", "-", "of"):
            continue
        if word in ("hundreds", "thousands", "millions") and current:
            current *= SCALES[word[:-1]]  # "tens of thousands"
            continue
        if word == "half":
            if seen:
                current += 0.5  # "two and a half"
            else:
                factor = 0.5
            continue
        parts = word.split("-")
        if re.fullmatch(r"\d{3}", word) and re.fullmatch(r"\d{1,3}", previous):
            current = current * 1000 + float(word)  # "300 000"
        elif re.fullmatch(r"\d+(\.\d+)?", word):
            current += float(word)
        elif all(p in UNITS for p in parts):
            current += sum(UNITS[p] for p in parts)
        elif word in SCALES:
            current = (current or 1) * SCALES[word]
            if SCALES[word] >= 1000:
                total, current = total + current, 0.0
        elif word in COLLECTIVES:
            current = (current or 1) * COLLECTIVES[word]
        else:
            return None
        seen = True
    return (total + current) * factor if seen else None


def extract_counts(doc) -> list[Count]:
    counts, used = [], set()
    for token in doc:
        if token.i in used or not _is_number_word(token):
            continue
        number_tokens = _number_tokens(doc, token)
        if any(t.i in used for t in number_tokens):
            continue
        count = _count_at(doc, number_tokens)
        if count is None:
            count = _implied_count(doc, number_tokens, counts)
        if count is not None:
            counts.append(count)
            span = doc.char_span(count.start, count.end, alignment_mode="expand")
            used.update(t.i for t in doc[number_tokens[0].i:span.end] if not _after_of(t, number_tokens[-1]))
    _attribute(counts, getattr(doc._, "quotes", None) or [])
    return counts


def _after_of(token, last_number) -> bool:
    """A number inside a partitive's noun phrase ("five of the nation's 25 largest districts")
    is a count of its own."""
    return token.like_num and token.i > last_number.i and any(
        t.lower_ == "of" for t in token.doc[last_number.i + 1:token.i])


def _attribute(counts: list[Count], quotes) -> None:
    """A count inside a quote is that speaker's claim: link it to the innermost such quote."""
    for count in counts:
        around = [q for q in quotes if q.start <= count.start and count.end <= q.end]
        if around:
            quote = min(around, key=lambda q: q.end - q.start)
            count.quote_id = quote.id
            count.claimed_by = quote.speaker.name or quote.speaker.mention


def _is_number_word(token) -> bool:
    return token.like_num or token.lower_ in COLLECTIVES and token.pos_ != "VERB"  # not "to score upsets"


def _number_tokens(doc, token):
    """The run of number words starting at token ('two hundred', '2.5 million', 'a dozen')."""
    tokens = [token]
    i = token.i + 1
    while i < len(doc) and (not (_numeral(doc[i]) and _numeral(doc[i - 1])) or _thousands_group(doc, i)) and (doc[i].like_num or doc[i].lower_ in SCALES or doc[i].lower_ in ("dozen", "dozens")
                            or doc[i].lower_ == "-" and i + 1 < len(doc) and doc[i + 1].like_num
                            and not doc[i + 1].is_digit and not doc[i - 1].is_digit):
        tokens.append(doc[i])
        i += 1
    if [t.lower_ for t in doc[i:i + 3]] == ["and", "a", "half"]:
        tokens += list(doc[i:i + 3])
        i += 3
    if (tokens[-1].lower_ in ("tens", "hundreds", "dozens") and i + 1 < len(doc) and doc[i].lower_ == "of"
            and doc[i + 1].lower_ in ("hundreds", "thousands", "millions")):
        tokens += [doc[i], doc[i + 1]]  # "tens of thousands"
    if token.i > 0 and doc[token.i - 1].lower_ in ("a", "an") and token.lower_ in COLLECTIVES:
        tokens.insert(0, doc[token.i - 1])
        if token.i > 1 and doc[token.i - 2].lower_ == "half":
            tokens.insert(0, doc[token.i - 2])
    return tokens


def _numeral(token) -> bool:
    """A number written in figures is whole: a second one right after it ("In 2019 12 people")
    is another number, not a part of the first."""
    return re.fullmatch(r"\d[\d.,]*", token.text) is not None


def _thousands_group(doc, i) -> bool:
    """'300 000': three figures after one to three figures, as a space separates thousands."""
    return re.fullmatch(r"\d{3}", doc[i].text) is not None and re.fullmatch(r"\d{1,3}", doc[i - 1].text) is not None \
        and doc[i - 1].whitespace_ == " "


def _range_end(doc, last):
    """'between 20 and 30 people', '20 to 30 people': the words of the range's upper bound."""
    i = last.i + 1
    if i + 1 < len(doc) and doc[i].lower_ in ("and", "to", "or") and doc[i + 1].like_num:
        j = i + 1
        while j + 1 < len(doc) and (doc[j + 1].like_num or doc[j + 1].lower_ in SCALES):
            j += 1
        return doc[i + 1:j + 1]
    return None


def _number_value(doc, tokens) -> tuple[float, bool] | None:
    """The value of a run of number words, and whether the model took it for a date; None for
    what is not a number of anything: years, phone and emergency numbers, "14-year-old", "40%",
    scores such as "8-1", two numbers run together, numbers inside names."""
    first, last = tokens[0], tokens[-1]
    core = [t for t in tokens if t.lower_ not in ("a", "an")]
    if any(t.ent_type_ in EXCLUDED_ENTS - {"DATE"} for t in core) or _inside_name(core):
        return None
    dated = any(t.ent_type_ == "DATE" for t in core)  # rejected later unless it counts people or things
    text_number = " ".join(t.text for t in tokens)
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    previous = doc[first.i - 1] if first.i > 0 else None
    if re.fullmatch(r"(1[5-9]|20)\d\d", text_number) and not _counts_a_plural(nxt, previous):
        return None  # a year ("1800 people" is a count)
    if re.search(r"\d-\d{3,}", text_number) or _emergency_number(text_number, previous, nxt):
        return None  # a phone or emergency number
    if nxt is not None and nxt.text in ("-", "%") or last.text.endswith("%"):
        return None  # "14-year-old", "30-minute", "40%"
    if previous is not None and previous.text == "-" and first.i > 1 and doc[first.i - 2].like_num:
        return None  # the second half of "8-1" or of "2-1-1"
    if previous is not None and previous.lower_ in ("number", "no", "no.", "#"):
        return None  # "the number two challenge": a rank
    if _proportion(doc, first, last):
        return None  # "six in 10 voters", "nine out of 10": a proportion
    if nxt is not None and nxt.is_digit and first.is_digit:
        return None  # two numbers run together
    value = parse_number([t.text for t in tokens])
    if value is None or _inside_name_by_shape(doc, first):
        return None
    return value, dated


def _proportion(doc, first, last) -> bool:
    """Either number of "six in 10" or "nine out of 10"."""
    before = [t.lower_ for t in doc[max(0, first.i - 3):first.i]]
    after = [t.lower_ for t in doc[last.i + 1:last.i + 3]]
    return (len(before) >= 2 and before[-1] == "in" and _base(doc[first.i - 2])
            or before[-2:] == ["out", "of"] and len(before) == 3 and _base(doc[first.i - 3])
            or after[:1] == ["in"] and len(after) == 2 and _base(doc[last.i + 2])
            or after == ["out", "of"] and last.i + 3 < len(doc) and _base(doc[last.i + 3]))


def _base(token) -> bool:
    """A number a proportion can be taken of: not a year ("up from 233 in 2007")."""
    return token.like_num and token.ent_type_ != "DATE" and not re.fullmatch(r"(1[5-9]|20)\d\d", token.text)


def _counts_a_plural(nxt, previous) -> bool:
    return (nxt is not None and nxt.tag_ == "NNS" and nxt.ent_type_ != "DATE"
            and (previous is None or previous.pos_ != "ADP" and previous.ent_type_ != "DATE"))


def _emergency_number(text_number: str, previous, nxt) -> bool:
    return text_number in EMERGENCY_NUMBERS and (
        previous is not None and previous.lemma_.lower() in ("call", "dial", "ring", "phone", "text")
        or nxt is not None and nxt.lemma_.lower() in ("call", "dispatcher", "operator", "center", "centre", "line",
                                                    "emergency", "system", "dispatch"))


def _count_at(doc, tokens) -> Count | None:
    first, last = tokens[0], tokens[-1]
    core = [t for t in tokens if t.lower_ not in ("a", "an")]
    number = _number_value(doc, tokens)
    if number is None:
        return None
    value, dated = number
    upper = _range_end(doc, last)
    obj = _counted_object(doc, upper[-1] if upper is not None else last)
    if obj is None:
        return None
    obj_tokens, obj_text = obj
    noun = obj_tokens[-1]
    if noun.lemma_.lower() in NOT_COUNTED or noun.lower_ in NOT_COUNTED:
        return None
    if noun.pos_ == "PROPN" and not (noun.tag_ == "NNPS" or noun.ent_type_ == "NORP"):
        return None  # a name; "8,000 Minnesotans", "300 Syrians" are counted
    if core[0].lower_ in ("pair", "couple") and noun.lower_ in PAIRED_THINGS:
        return None  # "a pair of scissors" is one thing
    if dated and (noun.ent_type_ == "DATE" or noun.tag_ != "NNS"):
        return None  # the model's DATE is kept unless a plural noun is counted ("20 and 30 people")
    qualifier, q_start = _qualifier_before(doc, first)
    number_ids = {t.i for t in tokens} | ({upper[-1].i} if upper is not None else set())
    event = _event(noun, number_ids)
    if value == 1 and qualifier is None and ((event or "").split(" ")[-1] not in CASUALTY_EVENTS
                                             or noun.lemma_.lower() in LEGAL_COUNTS):
        return None  # "one deserter said": a person picked out; "one man was arrested" is a count
    if qualifier is None and core[0].lower_ in VAGUE:
        qualifier = VAGUE[core[0].lower_] if len(core) < 3 else f"{core[0].lower_} of {core[-1].lower_} of"
    start_char = q_start if q_start is not None else first.idx
    end_char = noun.idx + len(noun)
    if end_char <= start_char:
        return None  # the parse put the counted noun before the number
    return Count(value, qualifier, obj_text, text_of(doc)[start_char:end_char], start_char, end_char, event,
                 parse_number([t.text for t in upper]) if upper is not None else None)


def _implied_count(doc, tokens, earlier: list[Count]) -> Count | None:
    """A number whose noun is left out: "3 dead and 7 wounded", "12 were injured", "wounded 12
    more", a toll that "rose to 45", "up from 233" (the noun of the count it is compared with),
    "a population of two million", "2,100 are nurses". Implied object and event, implied=True."""
    number = _number_value(doc, tokens)
    if number is None or number[1]:
        return None
    value, last = number[0], tokens[-1]
    found = _implied_object(doc, last, earlier)
    if found is None:
        return None
    obj, event = found
    first = tokens[0]
    qualifier, q_start = _qualifier_before(doc, first)
    core = [t for t in tokens if t.lower_ not in ("a", "an")]
    if value == 1 and qualifier is None:
        return None
    if qualifier is None and core[0].lower_ in VAGUE:
        qualifier = VAGUE[core[0].lower_]
    start_char = q_start if q_start is not None else first.idx
    end_char = last.idx + len(last)
    return Count(value, qualifier, obj, text_of(doc)[start_char:end_char], start_char, end_char, event,
                 implied=True)


def _implied_object(doc, last, earlier: list[Count]) -> tuple[str, str | None] | None:
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if nxt is not None and nxt.lower_ in CASUALTY_EVENTS and nxt.pos_ in ("ADJ", "VERB") and \
            nxt.lower_ not in ("charge", "shoot", "stab"):
        return "people", CASUALTY_EVENTS[nxt.lower_]  # "3 dead", "12 injured"
    if nxt is not None and nxt.lemma_ == "be" and last.dep_ == "conj":  # "... and 15 were women", misparsed
        attr = next((c for c in nxt.children if c.dep_ == "attr" and c.tag_ == "NNS"), None)
        if attr is not None:
            return attr.text, None
    anchor = last.head if last.head.lower_ in ("more", "others", "other") and last.dep_ in (
        "nummod", "amod", "quantmod", "npadvmod") else last
    head = anchor.head
    if anchor.dep_ in ("nsubj", "nsubjpass", "dobj") and head.pos_ in ("VERB", "AUX"):
        lemma = head.lemma_.lower()
        if lemma in CASUALTY_EVENTS:
            return "people", CASUALTY_EVENTS[lemma]  # "12 were injured", "wounded 12 more"
        if lemma == "be":
            state = next((c for c in head.children if c.dep_ == "acomp" and c.lower_ in CASUALTY_EVENTS), None)
            if state is not None:
                return "people", CASUALTY_EVENTS[state.lower_]  # "3 were dead"
            attr = next((c for c in head.children if c.dep_ == "attr" and c.tag_ == "NNS"), None)
            if attr is not None and anchor.dep_ == "nsubj":
                return attr.text, None  # "2,100 are nurses"
    if anchor.dep_ != "pobj":
        return None
    verb, sentence = head.head, anchor.sent.text.lower()
    if head.lower_ in ("to", "at") and verb.lemma_.lower() in TOLL_VERBS and "toll" in sentence:
        return "people", "kill" if re.search(r"death|dead|fatalit", sentence) else None  # the toll rose to 45
    if head.lower_ == "from" and verb.lower_ in ("up", "down"):
        before = [c for c in earlier if anchor.sent.start_char <= c.start < anchor.idx]
        if before:
            return before[-1].object, before[-1].event  # "1,981 cases, up from 233"
    if head.lower_ == "of" and verb.lemma_.lower() == "population":
        return "people", None
    return None


def _event(noun, number_ids: set[int]) -> str | None:
    """The verb the counted people or things take part in: "four commanders fled" -> "flee",
    "300 people were thrown" -> "throw", "had helped 100 deserters flee" -> "help flee". Walks up
    from the counted noun through its own phrase ("three of the prisoners") to the first verb;
    a count that belongs to another noun ("the head of 40 villages") has no event."""
    token = noun
    for _ in range(6):
        head = token.head
        if head is token:
            return None
        if head.pos_ == "VERB" or head.pos_ == "AUX" and head.dep_ == "ROOT":
            return None if head.lemma_ == "be" else _verb_chain(head)
        if token.dep_ in ("pobj", "conj", "nummod", "quantmod", "compound", "amod") or head.i in number_ids:
            token = head
            continue
        if head.pos_ == "ADP" and (head.head.i in number_ids or head.head.pos_ == "VERB"):
            token = head
            continue
        return None
    return None


def _verb_chain(verb) -> str:
    words = [verb.lemma_.lower()]
    while (nxt := next((c for c in verb.children if c.dep_ in ("xcomp", "ccomp") and c.pos_ == "VERB"
                        and c.i > verb.i), None)) is not None and len(words) < 3:
        words.append(nxt.lemma_.lower())
        verb = nxt
    return " ".join(words)


def _inside_name_by_shape(doc, first) -> bool:
    """'Fire District 2', 'Route 66', 'Brigade 51': digits right after a capitalised name word."""
    if first.i == 0 or not first.is_digit:
        return False
    previous = doc[first.i - 1]
    return previous.is_title and previous.pos_ == "PROPN" and not previous.is_sent_start


def _inside_name(tokens) -> bool:
    return any(t.ent_type_ in ("ORG", "PERSON", "FAC", "WORK_OF_ART", "LAW", "PRODUCT", "EVENT") for t in tokens)


def _counted_object(doc, last):
    """What the number counts: the noun it modifies ('300 people'), the noun after 'of'
    ('hundreds of families', 'three of the deserters')."""
    head = last.head
    if last.dep_ in ("nummod", "quantmod", "amod", "compound") and head.i > last.i and head.pos_ in ("NOUN", "PROPN"):
        return _noun_phrase(doc, head, last)
    of = next((c for c in last.children if c.dep_ == "prep" and c.lower_ == "of" and c.i > last.i), None)
    if of is None and last.i + 1 < len(doc) and doc[last.i + 1].lower_ == "of":
        of = doc[last.i + 1]
    if of is not None:
        noun = next((c for c in of.children if c.dep_ == "pobj"), None)
        if noun is not None and noun.pos_ in ("NOUN",):
            return _noun_phrase(doc, noun, of)
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if nxt is not None and nxt.pos_ == "NOUN" and nxt.tag_ in ("NNS", "NN"):
        return _noun_phrase(doc, nxt, last)
    return None


def _noun_phrase(doc, noun, after):
    """The counted noun with its adjectives and compounds between the number and the noun."""
    start = after.i + 1
    if doc[start].lower_ == "of":
        start += 1
    while start < noun.i and doc[start].dep_ == "det":
        start += 1
    tokens = [t for t in doc[start:noun.i + 1] if not t.is_punct]
    if not tokens:
        tokens = [noun]
    return tokens, " ".join(t.text for t in tokens)


def _qualifier_before(doc, first) -> tuple[str | None, int | None]:
    window = doc[max(0, first.i - 4):first.i]
    text = window.text.lower()
    for phrase in sorted(set(QUALIFIERS), key=len, reverse=True):
        if text.endswith(phrase) and (len(text) == len(phrase) or not text[-len(phrase) - 1].isalpha()):
            start = window.end_char - len(phrase)
            return phrase, start
    return None, None
