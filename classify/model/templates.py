"""What goes on a generated page: a :class:`Draft` made from ``templates.yaml`` and fake data.

A draft is layout-free content (header, title, body lines, signature); :mod:`classify.model.render`
draws it. Titles come from ``classify/doctypes.yaml`` unless the template gives its own.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from classify.doctypes import OTHER, DocumentTypes
from classify.model.fakedata import ISSUER_BODIES, ISSUER_PARENTS, FakeData
from ingest.text import nfc

TEMPLATES_PATH = Path(__file__).with_name("templates.yaml")
LAYOUTS = ("form", "admin", "letter", "certificate", "card", "contract", "receipt", "drawing",
           "plain")
_PLACEHOLDER = re.compile(r"\{([A-Za-z]+[0-9]?)\}")
_LABELLED = re.compile(r"^([^:]{3,60}):\s*(.+)$")
DROP_LINE = 0.15
BLANK_FORM = 0.12
TITLE_BREAK = 0.35
_SIGN_BREAK = re.compile(r"(?<!PHÓ)\s(?=CHỦ TỊCH$)|\s(?=KT\.|TL\.|PHÓ CHỦ|CHÁNH VĂN|THỦ TƯỚNG$)")


@dataclass(frozen=True)
class Template:
    label: str
    layout: str
    titles: tuple[str, ...]
    lines: tuple[str, ...]
    issuer: str | None = None
    abbreviation: str | None = None
    codes: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()
    sign: str | None = None
    no_number: bool = False
    year_in_number: bool = False
    title_break: bool = False
    # Alternative (lines, sign) bodies: types that differ only by title (Giấy / Văn bản ủy
    # quyền) share them, so the model learns the title, not a body we happened to pair it with.
    bodies: tuple[tuple[tuple[str, ...], str | None], ...] = ()


@dataclass(frozen=True)
class Draft:
    """The content of one page. ``header`` is the left column (issuing body, "Số: …", "V/v …");
    ``motto`` puts the national motto at the top (right, or centred when there is no header)."""

    label: str
    layout: str
    header: tuple[str, ...] = ()
    motto: bool = True
    place_date: str | None = None
    form_code: str | None = None
    title: tuple[str, ...] = ()
    subject: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    sign: tuple[str, ...] = ()
    continuation: bool = False
    extras: dict[str, str] = field(default_factory=dict)


@cache
def load_templates(path: Path = TEMPLATES_PATH) -> dict[str, dict[str, Any]]:
    data = yaml.safe_load(nfc(path.read_text(encoding="utf-8")))
    labels: dict[str, dict[str, Any]] = data["labels"]
    for label, entry in labels.items():
        if entry.get("layout") not in LAYOUTS:
            raise ValueError(f"template {label!r}: unknown layout {entry.get('layout')!r}")
    return labels


def template_for(label: str, types: DocumentTypes) -> Template:
    entry = load_templates()[label]
    titles = tuple(entry.get("titles") or (types.types[label].titles if label in types else ()))
    return Template(
        label=label, layout=entry["layout"], titles=titles, lines=tuple(entry.get("lines") or ()),
        issuer=entry.get("issuer"), abbreviation=entry.get("abbreviation"),
        codes=tuple(entry.get("codes") or ()), subjects=tuple(entry.get("subjects") or ()),
        sign=entry.get("sign"), no_number=bool(entry.get("no_number")),
        year_in_number=bool(entry.get("year_in_number")),
        title_break=bool(entry.get("title_break")),
        bodies=tuple((tuple(body["lines"]), body.get("sign"))
                     for body in entry.get("bodies") or ()),
    )


def _with_body(template: Template, seed: int) -> Template:
    """``template`` with one of its alternative bodies, chosen by ``seed`` (its own stream, so
    the other choices of the page stay as they were)."""
    if not template.bodies:
        return template
    lines, sign = random.Random(f"body:{seed}").choice(template.bodies)
    return replace(template, lines=lines, sign=sign)


def model_labels() -> list[str]:
    """Every label the generated corpus has, ``other`` last."""
    labels = [label for label in load_templates() if label != OTHER]
    return [*labels, OTHER]


def fill(text: str, data: FakeData) -> str:
    """Replace ``{placeholders}``; an upper-case key gives an upper-case value."""
    def value(match: re.Match[str]) -> str:
        key = match.group(1)
        found = data.value(key.lower())
        return found.upper() if key[0].isupper() else found
    return _PLACEHOLDER.sub(value, text)


def make_draft(template: Template, seed: int) -> Draft:
    """One page of ``template``'s type; ``seed`` decides every choice."""
    template = _with_body(template, seed)
    rng = random.Random(seed)
    data = FakeData(seed)
    body = _body(template, data, rng)
    title = _title(template, rng)
    subject = tuple(fill(rng.choice(template.subjects), data) for _ in range(1)) \
        if template.subjects and template.layout != "letter" else ()
    header, place_date = _header(template, data, rng)
    sign = _sign(template, data, rng)
    code = rng.choice(template.codes) if template.codes and rng.random() < 0.85 else None
    return Draft(label=template.label, layout=template.layout, header=header,
                 motto=template.layout not in ("drawing", "plain") or rng.random() < 0.3,
                 place_date=place_date, form_code=code, title=title, subject=subject, body=body,
                 sign=sign)


def continuation_draft(template: Template, seed: int) -> Draft:
    """A second page of ``template``'s type: body text only, labelled ``other`` (a page that
    does not start a document has no type of its own)."""
    template = _with_body(template, seed)
    rng = random.Random(seed)
    body = _body(template, FakeData(seed), rng)
    start = rng.randrange(0, max(1, len(body) // 2))
    extra = tuple(FakeData(seed + 1).sentence() for _ in range(rng.randrange(3, 8)))
    return Draft(label=OTHER, layout="plain", motto=False, body=body[start:] + extra,
                 sign=(template.sign,) if template.sign and rng.random() < 0.5 else (),
                 continuation=True, extras={"page_number": str(rng.randrange(2, 5))})


def _title(template: Template, rng: random.Random) -> tuple[str, ...]:
    if not template.titles:
        return ()
    weights = [3.0] + [1.0] * (len(template.titles) - 1)
    title = rng.choices(template.titles, weights=weights)[0].upper()
    words = title.split()
    if template.title_break and len(words) > 3 and rng.random() < TITLE_BREAK * 2:
        return (" ".join(words[:2]), " ".join(words[2:]).capitalize())
    if len(title) > 45 and rng.random() < TITLE_BREAK:
        cut = len(words) // 2
        return (" ".join(words[:cut]), " ".join(words[cut:]))
    return (title,) if title else ()


def _body(template: Template, data: FakeData, rng: random.Random) -> tuple[str, ...]:
    blank = rng.random() < BLANK_FORM
    lines: list[str] = []
    for index, line in enumerate(template.lines):
        if index >= 2 and rng.random() < DROP_LINE:
            continue
        filled = fill(line, data)
        labelled = _LABELLED.match(filled)
        if blank and labelled and "{" in line:
            filled = f"{labelled.group(1)}: " + "." * rng.randrange(20, 60)
        lines.append(filled)
    for _ in range(rng.randrange(0, 3)):
        lines.insert(rng.randrange(len(lines) + 1), data.sentence())
    return tuple(lines)


def _header(template: Template, data: FakeData,
            rng: random.Random) -> tuple[tuple[str, ...], str | None]:
    if template.layout not in ("admin", "letter", "certificate"):
        date = data.recent_date()
        place = data.province().split(" ", 1)[-1] if template.layout == "form" else None
        return (), (f"{place}, {data.long_date(date)}" if place and rng.random() < 0.6 else None)
    issuer = _issuer(template, data, rng)
    header = list(issuer)
    if template.abbreviation and not template.no_number:
        notation = data.number_notation(template.abbreviation)
        if template.year_in_number:
            number, rest = notation.split("/", 1)
            notation = f"{number}/{rng.choice((2024, 2025, 2026))}/{rest.split('-')[0]}"
        header.append(f"Số: {notation}")
    if template.layout == "letter" and template.subjects:
        header.append(fill(rng.choice(template.subjects), data))
    place = data.province().split(" ", 1)[-1]
    return tuple(header), f"{place}, {data.long_date(data.recent_date())}"


def _issuer(template: Template, data: FakeData, rng: random.Random) -> tuple[str, ...]:
    if template.issuer:
        return tuple(fill(template.issuer, data).split(" PHÒNG ", 1)) \
            if " PHÒNG " in template.issuer else (fill(template.issuer, data),)
    if rng.random() < 0.6:
        return ("ỦY BAN NHÂN DÂN", fill("{COMMUNE}", data))
    return (rng.choice(ISSUER_PARENTS), rng.choice(ISSUER_BODIES))


def _sign(template: Template, data: FakeData, rng: random.Random) -> tuple[str, ...]:
    if not template.sign or rng.random() < 0.15:
        return ()
    caption = tuple(_SIGN_BREAK.split(template.sign))
    note = ("(Ký, ghi rõ họ tên)",) if rng.random() < 0.6 else ("(Ký tên, đóng dấu)",)
    return (*caption, *note, data.person_name())
