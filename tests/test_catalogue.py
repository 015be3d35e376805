"""The curated procedure catalogue: the 19 real files load, and broken files are refused clearly.

The real files are checked against ../shared/data/catalogue/procedures.json (their curated input)
so a doc_type is never renamed behind the classifier's back.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from classify.catalogue.loader import (
    DEFAULT_DIR,
    Catalogue,
    CatalogueError,
    NoVersionInForce,
    UnknownProcedure,
    load_catalogue,
)
from classify.catalogue.schema import Channel, Form, QuestionKind, TimeUnit
from tests.shared_data import shared_data

SOURCE = shared_data("catalogue", "procedures.json")
NATIONAL_CODE = re.compile(r"^[1-6]\.\d{6}$")
# Ids of the current classify/doctypes.yaml kept as aliases beside the procedures.json ids.
ALIASES = {"giay_uy_quyen", "hop_dong_uy_quyen", "hop_dong_tang_cho_qsdd"}


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="module")
def source() -> list[dict[str, Any]]:
    assert SOURCE.is_file(), f"procedures.json not found at {SOURCE}"
    records: list[dict[str, Any]] = json.loads(SOURCE.read_text(encoding="utf-8"))
    return records


def source_doc_types(record: dict[str, Any]) -> set[str]:
    return {t for c in record["components"] for t in c["doc_type"].split("|")}


# --- the real catalogue -------------------------------------------------------------------------

def test_all_nineteen_procedures_load(catalogue: Catalogue, source: list[dict[str, Any]]) -> None:
    assert len(catalogue.procedures) == 19
    assert set(catalogue.procedures) == {r["code"] for r in source}
    assert len(catalogue.version) == 12


def test_codes_are_national_and_files_are_named_by_code(catalogue: Catalogue) -> None:
    for code, procedure in catalogue.procedures.items():
        assert NATIONAL_CODE.match(code), code
        assert (DEFAULT_DIR / f"{code}.yaml").is_file()
        assert procedure.sources, code


def test_every_version_has_components_and_a_start_date(catalogue: Catalogue) -> None:
    for procedure in catalogue.procedures.values():
        for version in procedure.versions:
            assert len(version.components) >= 1, procedure.code
            assert version.effective_from == dt.date(2025, 7, 1)


def test_level_and_field_follow_the_source(catalogue: Catalogue,
                                            source: list[dict[str, Any]]) -> None:
    for record in source:
        procedure = catalogue.get(record["code"])
        assert (procedure.level.value, procedure.field) == (record["level"], record["field"])


def test_decisions_follow_the_source_and_the_unknown_one_is_marked(
        catalogue: Catalogue, source: list[dict[str, Any]]) -> None:
    for record in source:
        decision = catalogue.get(record["code"]).versions[0].decision
        assert decision == (record.get("decision_publishing") or "chưa xác minh"), record["code"]
    placeholder = (DEFAULT_DIR / "1.001776.yaml").read_text(encoding="utf-8")
    assert "PLACEHOLDER" in placeholder


def test_doc_types_keep_the_source_ids(catalogue: Catalogue, source: list[dict[str, Any]]) -> None:
    known = set().union(*(source_doc_types(r) for r in source)) | ALIASES
    for record in source:
        version = catalogue.get(record["code"]).versions[0]
        used = {t for c in version.components for t in c.doc_types}
        assert source_doc_types(record) <= used, record["code"]
        assert used <= known, (record["code"], used - known)


def test_result_codes_are_parsed_from_the_portal_text(catalogue: Catalogue,
                                                       source: list[dict[str, Any]]) -> None:
    for record in source:
        published = set(re.findall(r"KQ\.[A-Z]\d{2}\.\d{6}", record.get("result_document", "")))
        ours = {r.code for r in catalogue.get(record["code"]).result_documents if r.code}
        assert ours == published, record["code"]
    birth = catalogue.get("1.001193").result_documents[0]
    assert (birth.name, birth.code) == ("Giấy khai sinh", "KQ.G15.000031")


def test_channels_follow_the_source(catalogue: Catalogue, source: list[dict[str, Any]]) -> None:
    names = {"Trực tiếp": Channel.TRUC_TIEP, "Trực tuyến": Channel.TRUC_TUYEN,
             "Dịch vụ bưu chính": Channel.BUU_CHINH}
    for record in source:
        published = {names[c["channel"]] for c in record.get("channels", [])}
        ours = {c.channel for c in catalogue.get(record["code"]).versions[0].channels}
        assert ours == published, record["code"]


def test_processing_times(catalogue: Catalogue) -> None:
    birth = catalogue.version_on("1.001193", dt.date(2025, 7, 1)).processing_time
    assert (birth.unit, birth.cutoff) == (TimeUnit.SAME_DAY, dt.time(15, 0))  # Luật Hộ tịch Đ16
    copy = catalogue.version_on("2.000635", dt.date(2025, 7, 1)).processing_time
    assert (copy.value, copy.unit, copy.cutoff) == (0, TimeUnit.SAME_DAY, dt.time(15, 0))
    record = catalogue.version_on("3.000333", dt.date(2025, 7, 1)).processing_time
    assert (record.value, record.unit) == (10, TimeUnit.DAYS)


def test_every_rule_kind_is_used_somewhere(catalogue: Catalogue) -> None:
    components = [c for p in catalogue.procedures.values() for c in p.versions[0].components]
    assert any(c.condition for c in components)
    assert any(c.one_of for c in components)
    assert any(c.min_count > 1 for c in components)
    assert any(c.shown_only for c in components)
    assert any(c.waived_by for c in components)
    assert any(set(c.channels) != set(Channel) for c in components)
    assert any(c.form is Form.THONG_TIN for c in components)
    drawings = next(c for c in catalogue.get("1.013225").versions[0].components
                    if c.doc_types == ("ban_ve_thiet_ke_xay_dung",))
    assert drawings.min_count == 2


def test_waivers_use_lookup_questions(catalogue: Catalogue) -> None:
    for procedure in catalogue.procedures.values():
        version = procedure.versions[0]
        for component in version.components:
            if component.waived_by:
                question = version.question(component.waived_by)
                assert question is not None and question.kind is QuestionKind.LOOKUP
                assert question.text.endswith("?")


def test_land_and_construction_accept_original_or_copy(catalogue: Catalogue) -> None:
    for code in ("1.013978", "1.013225"):
        forms = {c.form for c in catalogue.get(code).versions[0].components}
        assert Form.BAN_CHINH_HOAC_BAN_SAO in forms


# --- search -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("query", "expected"), [
    ("khai sinh", {"1.001193", "1.004884", "2.000635"}),
    ("đăng ký khai sinh", {"1.001193"}),
    ("dang ky khai sinh", {"1.001193"}),
    ("ĐĂNG KÝ KHAI SINH", {"1.001193"}),
    ("1.001193", {"1.001193"}),
    ("thuong tru", {"1.004222"}),
    ("không có thủ tục này", set()),
])
def test_search_with_and_without_diacritics(catalogue: Catalogue, query: str,
                                            expected: set[str]) -> None:
    assert {p.code for p in catalogue.search(query)} == expected


def test_unknown_code_is_a_clear_error(catalogue: Catalogue) -> None:
    with pytest.raises(UnknownProcedure, match=r"9\.999999"):
        catalogue.get("9.999999")


# --- versions -----------------------------------------------------------------------------------

def minimal(code: str = "1.000001", **overrides: Any) -> dict[str, Any]:
    procedure: dict[str, Any] = {
        "code": code, "name": "Thủ tục thử", "level": "xa", "field": "ho_tich",
        "sources": ["kiểm thử"],
        "versions": [version_dict("1/QĐ-TEST", "2025-07-01")],
    }
    procedure.update(overrides)
    return procedure


def version_dict(decision: str, start: str, **overrides: Any) -> dict[str, Any]:
    version: dict[str, Any] = {
        "decision": decision, "effective_from": start,
        "processing_time": {"value": 1, "unit": "working_days"},
        "questions": [{"key": "uy_quyen", "text": "Người nộp là người được ủy quyền?"}],
        "components": [
            {"id": "to_khai", "name": "Tờ khai", "doc_types": ["to_khai_thu"]},
            {"id": "uy_quyen", "name": "Văn bản ủy quyền", "doc_types": ["van_ban_uy_quyen"],
             "required": False, "condition": "uy_quyen"},
        ],
    }
    version.update(overrides)
    return version


def write(directory: Path, data: dict[str, Any], name: str | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / (name or f"{data['code']}.yaml")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_version_on_picks_the_version_in_force(tmp_path: Path) -> None:
    old = version_dict("1/QĐ-TEST", "2025-07-01")
    new = version_dict("2/QĐ-TEST", "2026-03-15")
    new["components"] = [*new["components"],
                         {"id": "anh", "name": "Ảnh chân dung", "doc_types": ["anh_chan_dung"]}]
    write(tmp_path, minimal(versions=[new, old]))  # order in the file does not matter
    catalogue = load_catalogue(tmp_path)
    assert catalogue.version_on("1.000001", dt.date(2025, 7, 1)).decision == "1/QĐ-TEST"
    assert catalogue.version_on("1.000001", dt.date(2026, 3, 14)).decision == "1/QĐ-TEST"
    assert catalogue.version_on("1.000001", dt.date(2026, 3, 15)).decision == "2/QĐ-TEST"
    assert len(catalogue.version_on("1.000001", dt.date(2030, 1, 1)).components) == 3
    with pytest.raises(NoVersionInForce) as caught:
        catalogue.version_on("1.000001", dt.date(2025, 6, 30))
    assert "30/06/2025" in caught.value.message_vi


def test_a_closed_version_leaves_a_gap(tmp_path: Path) -> None:
    closed = version_dict("1/QĐ-TEST", "2025-07-01", effective_to="2025-12-31")
    write(tmp_path, minimal(versions=[closed]))
    catalogue = load_catalogue(tmp_path)
    assert catalogue.version_on("1.000001", dt.date(2025, 12, 31)).decision == "1/QĐ-TEST"
    with pytest.raises(NoVersionInForce):
        catalogue.version_on("1.000001", dt.date(2026, 1, 1))


# --- invalid files ------------------------------------------------------------------------------

def refused(directory: Path) -> str:
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(directory)
    assert caught.value.code == "catalogue_invalid"
    return f"{caught.value.message_vi} | {caught.value.message_en}"


def test_missing_field_names_file_procedure_and_field(tmp_path: Path) -> None:
    data = minimal()
    del data["name"]
    write(tmp_path, data)
    message = refused(tmp_path)
    assert "1.000001.yaml" in message and "thủ tục 1.000001" in message and "name" in message


def test_bad_code_names_the_field(tmp_path: Path) -> None:
    write(tmp_path, minimal(code="1.00119"), name="1.00119.yaml")
    message = refused(tmp_path)
    assert "1.00119.yaml" in message and "code" in message and "mã TTHC không hợp lệ" in message


def test_condition_must_name_an_existing_question(tmp_path: Path) -> None:
    data = minimal()
    data["versions"][0]["components"][1]["condition"] = "nguoi_than"
    write(tmp_path, data)
    message = refused(tmp_path)
    assert "1.000001.yaml" in message and "1.000001" in message
    assert "uy_quyen).condition" in message and "nguoi_than" in message


def test_waiver_must_name_a_lookup_question(tmp_path: Path) -> None:
    data = minimal()
    data["versions"][0]["components"][0]["waived_by"] = "uy_quyen"  # a condition, not a lookup
    write(tmp_path, data)
    assert "(to_khai).waived_by" in refused(tmp_path)


def test_bad_yaml_names_file_procedure_and_line(tmp_path: Path) -> None:
    (tmp_path / "1.000002.yaml").write_text("code: \"1.000002\"\nname: [chưa đóng\n",
                                            encoding="utf-8")
    message = refused(tmp_path)
    assert "1.000002.yaml" in message and "thủ tục 1.000002" in message and "dòng" in message


def test_unknown_key_is_refused(tmp_path: Path) -> None:
    data = minimal()
    data["versions"][0]["components"][0]["bat_buoc"] = True
    write(tmp_path, data)
    assert "bat_buoc" in refused(tmp_path)


def test_file_name_must_match_the_code(tmp_path: Path) -> None:
    write(tmp_path, minimal(), name="khai-sinh.yaml")
    assert "1.000001.yaml" in refused(tmp_path)


@pytest.mark.parametrize(("change", "expected"), [
    (lambda v: v["components"][1].update(required=True), "required"),
    (lambda v: v["questions"].append({"key": "thua", "text": "Câu hỏi thừa?"}), "thua"),
    (lambda v: v["components"].append(dict(v["components"][0])), "components"),
    (lambda v: v["components"][0].update(form="thong_tin"), "quantity"),
    (lambda v: v["components"][0].update(form="thong_tin", quantity=0), "thong_tin"),
    (lambda v: v["components"][0].update(one_of="mot_minh"), "mot_minh"),
])
def test_inconsistent_rules_are_refused(tmp_path: Path, change: Any, expected: str) -> None:
    data = minimal()
    change(data["versions"][0])
    write(tmp_path, data)
    assert expected in refused(tmp_path)


def test_one_of_members_must_apply_alike(tmp_path: Path) -> None:
    data = minimal()
    version = data["versions"][0]
    version["components"][0]["one_of"] = "nhom"
    version["components"][1]["one_of"] = "nhom"  # the second is conditional, the first is not
    write(tmp_path, data)
    message = refused(tmp_path)
    assert "one_of 'nhom'" in message and "required" in message


def test_one_of_members_must_share_channels(tmp_path: Path) -> None:
    data = minimal()
    version = data["versions"][0]
    version["components"] = [
        {"id": "a", "name": "Giấy A", "doc_types": ["a"], "one_of": "nhom"},
        {"id": "b", "name": "Giấy B", "doc_types": ["b"], "one_of": "nhom",
         "channels": ["truc_tiep"]},
    ]
    version["questions"] = []
    write(tmp_path, data)
    assert "channels" in refused(tmp_path)


def test_duplicate_versions_are_refused(tmp_path: Path) -> None:
    twice = version_dict("1/QĐ-TEST", "2025-07-01")
    write(tmp_path, minimal(versions=[twice, version_dict("2/QĐ-TEST", "2025-07-01")]))
    assert "effective_from" in refused(tmp_path)


def test_an_empty_directory_is_refused(tmp_path: Path) -> None:
    assert "No catalogue files" in refused(tmp_path)
