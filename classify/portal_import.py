"""Import national-portal records (DOMAIN.md §10) as draft catalogue entries for review.

``import_portal`` reads every ``<ministry>/<code>.json`` under a folder, writes one draft YAML per
record and a JSON report. A bad record is reported and skipped, never fatal: the scrape has
thousands of hand-typed records and one broken file must not stop the rest.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from classify.catalogue.loader import DEFAULT_DIR as CATALOGUE_DIR
from classify.portal.channels import ChannelRow
from classify.portal.components import ComponentGroup, ComponentRow, GroupKind
from classify.portal.draft import DraftProcedure, Suspect, component_form, parse_record

UPSTREAM = ("github.com/chatbot-tthc/chatbot_tthc@53229487610b07e0d7127f529b87c333f19aeb1e "
            "(scripts/crawler/data/raw; no license file: reference only, keep attribution)")
DRAFT_HEADER = (
    "# BẢN NHÁP — nhập tự động từ bản ghi Cổng DVC quốc gia; cán bộ phải rà soát trước khi\n"
    "# chuyển thành tệp danh mục (classify/catalogue/procedures). Danh mục KHÔNG nạp tệp này.\n"
    "# DRAFT imported from a national-portal record; a person must review it and curate a\n"
    "# catalogue file from it. The catalogue loader does not read drafts.\n"
)


@dataclass(frozen=True)
class Failure:
    file: str
    error: str


@dataclass(frozen=True)
class ImportReport:
    records: int  # JSON files found
    parsed: int  # drafts written
    with_components: int  # drafts with at least one component row
    components: int  # component rows in all drafts (every group, "Lưu ý" included)
    suspect: tuple[Suspect, ...]
    failed: tuple[Failure, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "records": self.records, "parsed": self.parsed,
            "with_components": self.with_components, "components": self.components,
            "suspect": [vars(s) for s in self.suspect],
            "failed": [vars(f) for f in self.failed],
        }


def import_portal(source_dir: Path, out_dir: Path, report_path: Path) -> ImportReport:
    """Write ``out_dir/<code>.yaml`` per record and the report; return the report."""
    if out_dir.resolve() == CATALOGUE_DIR.resolve():
        raise ValueError(f"drafts must not be written into the catalogue folder {CATALOGUE_DIR}")
    out_dir.mkdir(parents=True, exist_ok=True)
    files = sorted(source_dir.rglob("*.json"))
    drafts: list[DraftProcedure] = []
    failures: list[Failure] = []
    written: dict[str, str] = {}  # code → file, to refuse a second record with the same code
    for path in files:
        name = path.relative_to(source_dir).as_posix()
        try:
            drafts.append(_import_one(path, name, out_dir, written))
        except Exception as error:  # one bad record, whatever its fault, must not stop the rest
            failures.append(Failure(name, f"{type(error).__name__}: {error}"))
    report = _report(len(files), drafts, failures)
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report_path.write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n",
                           encoding="utf-8")
    return report


def _import_one(path: Path, name: str, out_dir: Path, written: dict[str, str]) -> DraftProcedure:
    data = json.loads(path.read_text(encoding="utf-8"))
    draft = parse_record(data, name)
    if draft.code in written:
        raise ValueError(f"mã thủ tục {draft.code} trùng với {written[draft.code]}")
    text = DRAFT_HEADER + yaml.safe_dump(draft_to_dict(draft), allow_unicode=True,
                                         sort_keys=False, width=100)
    (out_dir / f"{draft.code}.yaml").write_text(text, encoding="utf-8")
    written[draft.code] = name
    return draft


def _report(records: int, drafts: Iterable[DraftProcedure],
            failures: list[Failure]) -> ImportReport:
    drafts = list(drafts)
    return ImportReport(
        records=records, parsed=len(drafts),
        with_components=sum(1 for d in drafts if d.components),
        components=sum(len(d.components) for d in drafts),
        suspect=tuple(s for d in drafts for s in d.suspects()),
        failed=tuple(failures),
    )


def draft_to_dict(draft: DraftProcedure) -> dict[str, Any]:
    """The YAML shape: a ``draft`` block about the import, a ``procedure`` block like the schema."""
    return {
        "draft": {
            "status": "needs_review",
            "source_file": draft.source_file,
            "source_url": draft.source_url,
            "upstream": UPSTREAM,
            "warnings": list(draft.warnings),
            "suspect": [{"field": s.field, "text": s.text, "reason": s.reason}
                        for s in draft.suspects()],
        },
        "procedure": {
            "code": draft.code,
            "name": draft.name,
            "levels": [level.value for level in draft.levels],
            "other_levels": list(draft.other_levels),
            "field": draft.field,
            "field_name": draft.field_name,
            "decision": draft.decision,
            "result_documents": [_drop_none({"name": d.name, "code": d.code})
                                 for d in draft.result_documents],
            "channels": [_channel(row) for row in draft.channels],
            "component_groups": [_group(group) for group in draft.component_groups],
            "legal_bases": [_drop_none({"title": b.title, "number": b.number})
                            for b in draft.legal_bases],
        },
    }


def _channel(row: ChannelRow) -> dict[str, Any]:
    return _drop_none({
        "channel": row.channel.value, "time": row.time, "time_value": row.time_value,
        "time_unit": row.time_unit.value if row.time_unit else None, "fee": row.fee,
        "fee_amount": row.fee_amount, "currency": row.currency, "note": row.note or None,
        "suspect": row.suspect,
    })


def _group(group: ComponentGroup) -> dict[str, Any]:
    shown = group.kind is GroupKind.SHOWN
    return {"name": group.name, "kind": group.kind.value,
            "components": [_component(row, shown) for row in group.rows]}


def _component(row: ComponentRow, shown_only: bool) -> dict[str, Any]:
    form = component_form(row)
    return _drop_none({
        "name": row.name, "form": form.value if form else None, "originals": row.originals,
        "copies": row.copies, "shown_only": shown_only, "form_file": row.form_file,
        "suspect": row.suspect,
    })


def _drop_none(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}
