"""Load and validate the catalogue files; an invalid file names itself, the procedure and field."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from classify.catalogue.schema import Procedure, ProcedureVersion
from ingest.errors import SohoaError
from ingest.text import fold, nfc

DEFAULT_DIR = Path(__file__).parent / "procedures"


class CatalogueError(SohoaError):
    code = "catalogue_invalid"


class UnknownProcedure(SohoaError):
    code = "unknown_procedure"


class NoVersionInForce(SohoaError):
    code = "no_version_in_force"


@dataclass(frozen=True)
class Catalogue:
    """All procedures, keyed by code; ``version`` fingerprints the files for provenance."""

    procedures: dict[str, Procedure]
    version: str

    def get(self, code: str) -> Procedure:
        procedure = self.procedures.get(code.strip())
        if procedure is None:
            raise UnknownProcedure(
                f"Không có thủ tục mã {code!r} trong danh mục.",
                f"Unknown procedure code {code!r}.",
            )
        return procedure

    def version_on(self, code: str, day: dt.date) -> ProcedureVersion:
        procedure = self.get(code)
        version = procedure.version_on(day)
        if version is None:
            raise NoVersionInForce(
                f"Thủ tục {code} không có phiên bản có hiệu lực vào ngày {day:%d/%m/%Y}.",
                f"Procedure {code} has no version in force on {day.isoformat()}.",
            )
        return version

    def search(self, query: str) -> list[Procedure]:
        """Procedures whose code or name contains ``query``, with or without diacritics."""
        needle = fold(query)
        return [
            p for p in sorted(self.procedures.values(), key=lambda p: p.code)
            if needle in p.code or needle in fold(p.name)
        ]


def load_catalogue(directory: Path = DEFAULT_DIR) -> Catalogue:
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise CatalogueError(
            f"Không có tệp danh mục thủ tục trong {directory}.",
            f"No catalogue files in {directory}.",
        )
    digest = hashlib.sha256()
    procedures: dict[str, Procedure] = {}
    for path in files:
        raw = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + raw)
        procedure = _parse(path, raw)
        if procedure.code in procedures:
            raise CatalogueError(
                f"{path.name}: mã thủ tục {procedure.code} bị trùng.",
                f"{path.name}: duplicate procedure code {procedure.code}.",
            )
        procedures[procedure.code] = procedure
    return Catalogue(procedures=procedures, version=digest.hexdigest()[:12])


def _parse(path: Path, raw: bytes) -> Procedure:
    """One file → one validated procedure; every error names the file, the procedure, the field."""
    try:
        data = yaml.safe_load(nfc(raw.decode("utf-8")))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        at_vi = f" tại dòng {mark.line + 1}, cột {mark.column + 1}" if mark else ""
        at_en = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise CatalogueError(
            f"Danh mục thủ tục không hợp lệ: tệp {path.name}, thủ tục {path.stem}: "
            f"không đọc được YAML{at_vi} ({exc}).",
            f"Invalid catalogue: file {path.name}, procedure {path.stem}: "
            f"invalid YAML{at_en} ({exc}).",
        ) from exc
    code = data.get("code", path.stem) if isinstance(data, dict) else path.stem
    try:
        procedure = Procedure.model_validate(data)
    except ValidationError as exc:
        problems = _describe(exc)
        raise CatalogueError(
            f"Danh mục thủ tục không hợp lệ: tệp {path.name}, thủ tục {code}: {problems}",
            f"Invalid catalogue: file {path.name}, procedure {code}: {problems}",
        ) from exc
    if path.stem != procedure.code:
        raise CatalogueError(
            f"Danh mục thủ tục không hợp lệ: tệp {path.name}, thủ tục {procedure.code}: "
            f"code: tên tệp phải là {procedure.code}.yaml",
            f"Invalid catalogue: file {path.name}, procedure {procedure.code}: "
            f"code: the file must be named {procedure.code}.yaml",
        )
    return procedure



def _describe(exc: ValidationError) -> str:
    """``field.path: message`` per error, without pydantic's echo of a failed item as too short."""
    errors = exc.errors()
    locs = [tuple(err["loc"]) for err in errors]
    kept = [
        err for err, loc in zip(errors, locs, strict=True)
        if not (err["type"] == "too_short"
                and any(other[: len(loc)] == loc and other != loc for other in locs))
    ]
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc']) or '(gốc)'}: "
        f"{err['msg'].removeprefix('Value error, ')}"
        for err in kept
    )
