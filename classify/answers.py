"""The officer's answers to a procedure's questions (điều kiện, tra cứu, xuất trình)."""

from __future__ import annotations

from collections.abc import Mapping

from classify.catalogue.schema import ProcedureVersion
from ingest.errors import SohoaError

SHOWN_PREFIX = "xuat_trinh_"
YES = {"yes", "y", "true", "1", "co", "có"}
NO = {"no", "n", "false", "0", "khong", "không"}


class InvalidAnswer(SohoaError):
    code = "invalid_answer"


def answerable_keys(version: ProcedureVersion) -> dict[str, str]:
    """Every key an officer may answer, with the question text shown for it."""
    keys = {q.key: q.text for q in version.questions}
    for component in version.components:
        if component.shown_only:
            keys[f"{SHOWN_PREFIX}{component.id}"] = f"Đã kiểm tra bản xuất trình: {component.name}?"
    return keys


def validate_answers(version: ProcedureVersion, answers: Mapping[str, object]) -> dict[str, bool]:
    """Return the answers as booleans, or raise naming the first unknown key or bad value."""
    known = answerable_keys(version)
    clean: dict[str, bool] = {}
    for key, value in answers.items():
        if key not in known:
            raise InvalidAnswer(
                f"Câu hỏi {key!r} không có trong thủ tục (phiên bản {version.decision}). "
                f"Các câu hỏi: {', '.join(sorted(known))}.",
                f"Question {key!r} does not exist for this procedure version "
                f"({version.decision}). Known: {', '.join(sorted(known))}.",
            )
        clean[key] = parse_yes_no(key, value)
    return clean


def parse_yes_no(key: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in YES | NO:
        return value.strip().lower() in YES
    raise InvalidAnswer(
        f"Câu trả lời cho {key!r} phải là có/không (true/false), không phải {value!r}.",
        f"The answer to {key!r} must be yes/no (true/false), not {value!r}.",
    )
