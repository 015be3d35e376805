"""Retention policy (thời hạn bảo quản): how long archived objects stay locked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ingest.errors import SohoaError

DEFAULT_PATH = Path(__file__).with_name("retention.yaml")
MODES = ("GOVERNANCE", "COMPLIANCE")


class RetentionPolicyError(SohoaError):
    code = "retention_policy_invalid"


@dataclass(frozen=True)
class RetentionRule:
    mode: str
    years: int
    label: str

    def until(self, start: dt.datetime) -> dt.datetime:
        try:
            return start.replace(year=start.year + self.years)
        except ValueError:  # 29 February
            return start.replace(year=start.year + self.years, day=28)


@dataclass(frozen=True)
class RetentionPolicy:
    default: RetentionRule
    by_field: Mapping[str, RetentionRule]
    by_doc_type: Mapping[str, RetentionRule]
    by_procedure: Mapping[str, RetentionRule]

    def for_dossier(self, procedure_code: str, field: str, doc_types: Iterable[str]
                    ) -> RetentionRule:
        """The procedure's rule if set, else the longest of its documents' and field's rules."""
        if procedure_code in self.by_procedure:
            return self.by_procedure[procedure_code]
        rules = [self.by_field.get(field, self.default)]
        rules += [self.by_doc_type[t] for t in doc_types if t in self.by_doc_type]
        return max(rules, key=lambda r: (r.years, r.mode == "COMPLIANCE"))


def load_retention_policy(path: Path = DEFAULT_PATH) -> RetentionPolicy:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        return RetentionPolicy(
            default=_rule(data["default"], "default"),
            by_field=_rules(data.get("by_field"), "by_field"),
            by_doc_type=_rules(data.get("by_doc_type"), "by_doc_type"),
            by_procedure=_rules(data.get("by_procedure"), "by_procedure"),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise RetentionPolicyError(f"Chính sách lưu trữ {path.name} không hợp lệ: {exc}",
                                   f"Invalid retention policy {path.name}: {exc}") from exc


def _rules(section: Mapping[str, Any] | None, name: str) -> dict[str, RetentionRule]:
    return {key: _rule(value, f"{name}.{key}") for key, value in (section or {}).items()}


def _rule(value: Mapping[str, Any], where: str) -> RetentionRule:
    mode = str(value.get("mode", "GOVERNANCE"))
    years = int(value["years"])
    if mode not in MODES or not 1 <= years <= 200:
        raise ValueError(f"{where}: mode must be one of {MODES} and years 1..200")
    return RetentionRule(mode=mode, years=years, label=str(value.get("label", f"{years} năm")))
