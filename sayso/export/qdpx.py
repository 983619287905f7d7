"""REFI-QDA project exchange (.qdpx): a zip of project.qde (QDA-XML 1.0) and the source texts,
for NVivo, ATLAS.ti, MAXQDA and QualCoder.

The codebook becomes the CodeBook (codes under their group), plus a "Quote" code with one
sub-code per kind of quote; every quote is a PlainTextSelection coded with its kind and its
themes; theme evidence outside quotes codes its paragraph; every speaker is a Case with role and
organisation variables and references to the speaker's selections."""
from __future__ import annotations

import uuid
import zipfile
from datetime import datetime, timezone
from xml.etree import ElementTree as ET

from .. import __version__
from ..claims import claim_ids
from ..codebook import Codebook
from ..extract.quotemarks import paragraphs
from ..extract.themes import passage_codes

NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
_SPACE = uuid.UUID("6f1c3a52-2c1e-4b7e-9a53-5a7f0d6e8b10")
QUOTE_KINDS = ("direct", "indirect", "according_to")


def guid(*parts) -> str:
    """Stable GUIDs, so exporting the same store twice gives the same project."""
    return str(uuid.uuid5(_SPACE, "/".join(map(str, parts))))


def _el(parent, tag, **attrs):
    return ET.SubElement(parent, f"{{{NS}}}{tag}", {k: str(v) for k, v in attrs.items() if v is not None})


def build_project(store, codebook: Codebook) -> tuple[bytes, dict[str, str]]:
    """The project.qde XML and the source texts (zip path -> text)."""
    ET.register_namespace("", NS)
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    user = guid("user", "sayso")
    project = ET.Element(f"{{{NS}}}Project", {"name": "sayso export", "origin": f"sayso {__version__}",
                                               "creatingUserGUID": user, "creationDateTime": now})
    users = _el(project, "Users")
    _el(users, "User", guid=user, name="sayso")
    coders: dict[str, str] = {}

    def coder(quote) -> str:
        """The quote's coder: its reviewer once a person accepted, edited or added it, else sayso."""
        review = quote.review or {}
        if review.get("status") not in ("accepted", "edited", "added"):
            return user
        if review["reviewer"] not in coders:
            coders[review["reviewer"]] = guid("user", "reviewer", review["reviewer"])
            _el(users, "User", guid=coders[review["reviewer"]], name=review["reviewer"])
        return coders[review["reviewer"]]
    analyses = [(doc_id, store.document(doc_id), store.analysis(doc_id)) for doc_id in store.document_ids()]
    claims = claim_ids(store.conn)
    code_guids = _codebook(_el(project, "CodeBook"), codebook, analyses)
    variables = _el(project, "Variables")
    role_var, org_var = guid("variable", "role"), guid("variable", "organisation")
    _el(variables, "Variable", guid=role_var, name="role", typeOfVariable="Text")
    _el(variables, "Variable", guid=org_var, name="organisation", typeOfVariable="Text")
    cases_el = _el(project, "Cases")
    sources = _el(project, "Sources")
    texts: dict[str, str] = {}
    speakers: dict[str, dict] = {}
    for doc_id, document, analysis in analyses:
        source_guid = guid("source", doc_id)
        texts[f"Sources/{source_guid}.txt"] = document["text"]
        source = _el(sources, "TextSource", guid=source_guid, name=doc_id,
                     plainTextPath=f"internal://{source_guid}.txt", creationDateTime=now)
        for quote in analysis.quotes:
            sel = guid("quote", doc_id, quote.id)
            selection = _el(source, "PlainTextSelection", guid=sel, name=f"{doc_id} {quote.id}",
                            startPosition=quote.start, endPosition=quote.end, creatingUser=coder(quote),
                            creationDateTime=now)
            review = quote.review or {}
            _el(selection, "Description").text = f"{quote.speaker.name or 'unknown speaker'} ({quote.kind})" + (
                f"; {review['status']} by {review['reviewer']}" if review.get("reviewer") else "") + (
                f"; claim {claims[(doc_id, quote.id)]}" if (doc_id, quote.id) in claims else "")
            codes = [f"quote:{quote.kind}", *passage_codes(analysis.themes, quote.start, quote.end)]
            for code in codes:
                coding = _el(selection, "Coding", guid=guid("coding", sel, code), creatingUser=coder(quote))
                _el(coding, "CodeRef", targetGUID=code_guids[code])
            if quote.speaker.name:
                case = speakers.setdefault(quote.speaker.name, {"role": set(), "org": set(), "selections": []})
                case["selections"].append(sel)
                case["role"].update(filter(None, [quote.speaker.role]))
                case["org"].update(filter(None, [quote.speaker.org]))
        quoted = [(q.start, q.end) for q in analysis.quotes]
        for start, end in paragraphs(document["text"]):
            if any(s <= start and end <= e for s, e in quoted):
                continue
            outside = [c for c in passage_codes(analysis.themes, start, end)
                       if not any(_evidence_in(analysis, c, s, e) for s, e in quoted)]
            if not outside:
                continue
            sel = guid("paragraph", doc_id, start)
            selection = _el(source, "PlainTextSelection", guid=sel, name=f"{doc_id} paragraph at {start}",
                            startPosition=start, endPosition=end, creatingUser=user, creationDateTime=now)
            for code in outside:
                coding = _el(selection, "Coding", guid=guid("coding", sel, code), creatingUser=user)
                _el(coding, "CodeRef", targetGUID=code_guids[code])
    for name, case in sorted(speakers.items()):
        case_el = _el(cases_el, "Case", guid=guid("case", name), name=name)
        for var, values in ((role_var, case["role"]), (org_var, case["org"])):
            if values:
                value = _el(case_el, "VariableValue")
                _el(value, "VariableRef", targetGUID=var)
                _el(value, "TextValue").text = "; ".join(sorted(values))
        for sel in case["selections"]:
            _el(case_el, "SelectionRef", targetGUID=sel)
    if not speakers:
        project.remove(cases_el)
    if not analyses:
        project.remove(sources)
    return ET.tostring(project, encoding="utf-8", xml_declaration=True), texts


def _evidence_in(analysis, code, start, end) -> bool:
    return any(start <= e.start and e.end <= end for t in analysis.themes if t.code == code for e in t.evidence)


def _codebook(parent, codebook: Codebook, analyses) -> dict[str, str]:
    codes_el = _el(parent, "Codes")
    guids = {}
    quote = _el(codes_el, "Code", guid=guid("code", "Quote"), name="Quote", isCodable="false")
    for kind in QUOTE_KINDS:
        guids[f"quote:{kind}"] = guid("code", "Quote", kind)
        _el(quote, "Code", guid=guids[f"quote:{kind}"], name=kind.replace("_", " "), isCodable="true")
    groups: dict[str, object] = {}
    for code in codebook.codes:
        group = groups.get(code.group)
        if group is None and code.group:
            group = groups[code.group] = _el(codes_el, "Code", guid=guid("code", "group", code.group),
                                             name=code.group, isCodable="false")
        guids[code.id] = guid("code", code.id)
        element = _el(group if group is not None else codes_el, "Code", guid=guids[code.id],
                      name=f"{code.id} {code.label}", isCodable="true")
        _el(element, "Description").text = code.definition
    for _, _, analysis in analyses:  # codes in the store that this codebook does not have
        for theme in analysis.themes:
            if theme.code not in guids:
                guids[theme.code] = guid("code", theme.code)
                _el(codes_el, "Code", guid=guids[theme.code], name=f"{theme.code} {theme.label}", isCodable="true")
    return guids


def write_qdpx(store, path, codebook: Codebook) -> int:
    from . import atomic_output

    xml, texts = build_project(store, codebook)
    with atomic_output(path, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml)
        for name, text in texts.items():
            archive.writestr(name, text.encode("utf-8"))
    return len(texts)


def read_codebook(path) -> Codebook:
    """A REFI-QDA codebook (.qdc) or the codebook of a project (.qdpx) as a sayso `Codebook`."""
    from ..codebook import Code, CodebookError

    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                root = ET.fromstring(archive.read("project.qde"))
        else:
            root = ET.parse(path).getroot()
    except (ET.ParseError, KeyError, OSError) as err:
        raise CodebookError(f"{path}: not a REFI-QDA codebook or project ({err})") from None
    namespace = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if namespace not in (NS, CODEBOOK_NS):
        raise CodebookError(f"{path}: not QDA-XML (root element {root.tag!r})")
    codes = []

    def walk(element, group):
        for child in element.findall(f"{{{namespace}}}Code"):
            name = child.get("name", "").strip()
            description = (child.findtext(f"{{{namespace}}}Description") or "").strip()
            if child.get("isCodable", "true") == "true" and name:
                codes.append(Code(f"C{len(codes) + 1}", name, group, description or name, (name.lower(),)))
            walk(child, name if child.get("isCodable") == "false" else group)

    for codes_el in root.iter(f"{{{namespace}}}Codes"):
        walk(codes_el, "")
    if not codes:
        raise CodebookError(f"{path}: the codebook has no codes")
    return Codebook(root.get("name") or "imported codebook", tuple(codes), str(path))


def codebook_yaml(codebook: Codebook) -> str:
    import yaml

    data = {"name": codebook.name, "version": 1, "codes": [
        {"id": c.id, "label": c.label, "group": c.group, "definition": c.definition,
         "include": list(c.include), "exclude": [], "examples": []} for c in codebook.codes]}
    header = ("# Imported from a REFI-QDA codebook by sayso. Each code starts with its own name as its\n"
              "# only cue: add the words and phrases that signal it under include.\n")
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
