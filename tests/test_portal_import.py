"""Import of national-portal records into draft catalogue entries (DOMAIN.md §10).

Runs the importer on the 66 real records of ../shared/data/catalogue/national-portal-sample and on
hand-made broken records; the counts asserted below were measured on that sample.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from classify.catalogue.loader import DEFAULT_DIR as CATALOGUE_DIR
from classify.portal.channels import parse_channels
from classify.portal.components import GroupKind, parse_components, split_merged_digits
from classify.portal.fields import clean_title, parse_legal_bases, parse_results
from classify.portal_import import ImportReport, import_portal
from tests.shared_data import shared_data

SAMPLE = shared_data("catalogue", "national-portal-sample")


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[ImportReport, Path, Path]:
    assert SAMPLE.is_dir(), f"portal sample not found at {SAMPLE}"
    out = tmp_path_factory.mktemp("drafts")
    report_path = out / "report" / "import.json"
    return import_portal(SAMPLE, out / "drafts", report_path), out / "drafts", report_path


def draft(out: Path, code: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((out / f"{code}.yaml").read_text(encoding="utf-8"))
    return loaded["procedure"]


def components(procedure: dict[str, Any], kind: str | None = None) -> list[dict[str, Any]]:
    return [c for g in procedure["component_groups"] if kind in (None, g["kind"])
            for c in g["components"]]


def test_every_sample_record_becomes_a_draft(imported: tuple[ImportReport, Path, Path]) -> None:
    report, out, report_path = imported
    assert report.failed == ()
    assert (report.records, report.parsed) == (66, 66)
    assert (report.with_components, report.components) == (66, 606)
    assert len(list(out.glob("*.yaml"))) == 66
    written = json.loads(report_path.read_text(encoding="utf-8"))
    assert written["records"] == 66 and written["components"] == 606 and written["failed"] == []
    assert len(written["suspect"]) == len(report.suspect) == 12
    assert set(written["suspect"][0]) == {"file", "code", "field", "text", "reason"}


def test_draft_is_marked_and_shaped_apart_from_the_catalogue(
        imported: tuple[ImportReport, Path, Path]) -> None:
    _, out, _ = imported
    text = (out / "1.001193.yaml").read_text(encoding="utf-8")
    assert text.startswith("# BẢN NHÁP") and "DRAFT" in text
    loaded = yaml.safe_load(text)
    assert set(loaded) == {"draft", "procedure"}  # not a catalogue file: no top-level code
    assert loaded["draft"]["status"] == "needs_review"
    assert loaded["draft"]["source_file"] == "bo-tu-phap/1.001193.json"
    assert "chatbot-tthc/chatbot_tthc@53229487" in loaded["draft"]["upstream"]


def test_birth_registration(imported: tuple[ImportReport, Path, Path]) -> None:
    _, out, _ = imported
    procedure = draft(out, "1.001193")
    assert procedure["code"] == "1.001193"
    assert procedure["name"] == "Thủ tục đăng ký khai sinh"
    assert (procedure["levels"], procedure["field"]) == (["xa"], "ho_tich")
    assert procedure["decision"] == "163/QĐ-BTP"
    assert procedure["result_documents"] == [{"name": "Giấy khai sinh", "code": "KQ.G15.000031"}]
    kinds = [g["kind"] for g in procedure["component_groups"]]
    assert kinds == ["submit", "shown", "note", "unnamed"]
    birth = [c for c in components(procedure, "submit") if c["name"].startswith("Giấy chứng sinh")]
    assert len(birth) == 1
    assert (birth[0]["form"], birth[0]["originals"], birth[0]["copies"]) == ("ban_chinh", 1, 0)
    assert all(c["shown_only"] for c in components(procedure, "shown"))
    assert all(c["form"] == "thong_tin" for c in components(procedure, "note"))
    assert {"title", "number"} <= set(procedure["legal_bases"][2])
    assert procedure["legal_bases"][2]["number"] == "123/2015/NĐ-CP"
    assert procedure["legal_bases"][2]["title"].endswith("Luật Hộ tịch")


def test_merged_form_number_is_repaired_and_flagged(
        imported: tuple[ImportReport, Path, Path]) -> None:
    report, out, _ = imported
    rows = [c for c in components(draft(out, "1.013831")) if "suspect" in c]
    assert len(rows) == 1  # "…theo Mẫu số 18" + "1 bản chính,1 bản sao" arrived as "181 bản chính"
    assert rows[0]["name"].endswith("theo Mẫu số 18")
    assert (rows[0]["originals"], rows[0]["copies"]) == (1, 1)
    assert "181" in rows[0]["suspect"]
    flagged = {(s.file, s.field) for s in report.suspect}
    assert ("bo-nong-nghiep-mt/1.013831.json", "thanh_phan_ho_so") in flagged
    # the other artefacts DOMAIN.md lists: a date, a form code, "Mẫu 02"
    for code, tail in (("1.009070", "ngày 28/8/2020"), ("3.000246", "BM.NCC.20.03"),
                       ("2.001583", "Mẫu 02")):
        suspects = [c for c in components(draft(out, code)) if "suspect" in c]
        assert [c["name"].endswith(tail) for c in suspects] == [True], code
        assert suspects[0]["originals"] == 1


def test_channel_times_and_fees(imported: tuple[ImportReport, Path, Path]) -> None:
    _, out, _ = imported
    channels = draft(out, "1.004222")["channels"]
    online, counter = channels
    assert (online["channel"], online["time_value"], online["time_unit"]) == (
        "truc_tuyen", 7, "working_days")
    assert (online["fee"], online["fee_amount"], online["currency"]) == (
        "10,000 Việt Nam Đồng", 10000, "VND")
    assert (counter["channel"], counter["time_value"], counter["fee_amount"]) == (
        "truc_tiep", 7, 20000)
    # "Không có thông tin" as the fee (1.000253) and as the time (2.000635)
    assert draft(out, "1.000253")["channels"] == [
        {"channel": "truc_tiep", "time": "7 Ngày", "time_value": 7, "time_unit": "days",
         "note": "Nộp trực tiếp tại trụ sở Công an cấp xã"}]
    assert [(c["fee_amount"], "time" in c) for c in draft(out, "2.000635")["channels"]] == [
        (8000, False)] * 3
    # the same channel repeated in another currency (chứng thực at a representative office)
    assert [(c["channel"], c["fee_amount"], c["currency"])
            for c in draft(out, "2.000815")["channels"]] == [
        ("truc_tiep", 2000, "VND"), ("truc_tiep", 10, "USD")]
    # hộ tịch gives a bare number: kept, unit left for the reviewer
    assert draft(out, "1.001193")["channels"][0] == {
        "channel": "truc_tuyen", "time": "1", "time_value": 1, "fee": "Miễn phí", "fee_amount": 0}


def test_titles_results_and_levels_are_cleaned(imported: tuple[ImportReport, Path, Path]) -> None:
    _, out, _ = imported
    assert "\n" not in draft(out, "3.000246")["name"]
    assert draft(out, "1.014208")["name"] == "Hỗ trợ phát triển sản xuất cộng đồng"
    assert draft(out, "1.010736")["name"] == "Tham vấn trong đánh giá tác động môi trường (cấp xã)"
    assert [d["code"] for d in draft(out, "1.002755")["result_documents"]] == [
        "KQ.G01.000064", "KQ.G01.000065", "KQ.G01.000067", "KQ.G01.000066"]
    for path in out.glob("*.yaml"):
        for document in yaml.safe_load(path.read_text(encoding="utf-8"))["procedure"][
                "result_documents"]:
            assert "Từ khóa" not in document["name"] and "Nộp hồ sơ" not in document["name"]
    procedure = draft(out, "2.000908")
    assert (procedure["levels"], procedure["other_levels"]) == (["bo", "tinh", "xa"],
                                                                ["Cơ quan khác"])
    assert draft(out, "1.014208")["result_documents"][0]["code"] == "KQ.H52.000004"


def test_quantity_inside_a_sentence_is_not_a_row(
        imported: tuple[ImportReport, Path, Path]) -> None:
    _, out, _ = imported
    rows = components(draft(out, "1.010736"))
    assert len(rows) == 3
    assert rows[0]["name"].startswith("01 bản chính nội dung tham vấn")
    assert rows[0]["form_file"] == "Nidungthamvn.docx"


def test_broken_records_are_reported_not_fatal(tmp_path: Path) -> None:
    source = tmp_path / "raw" / "bo-test"
    source.mkdir(parents=True)
    good = json.loads((SAMPLE / "bo-tu-phap" / "1.001193.json").read_text(encoding="utf-8"))
    records: dict[str, str] = {
        "1.000001.json": "{not json",
        "1.000002.json": json.dumps(["a", "list"]),
        "1.000003.json": json.dumps({"ten_thu_tuc": "Thiếu mã"}),
        "1.000004.json": json.dumps({**good, "ma_thu_tuc": "../../evil"}),
        "1.000005.json": json.dumps({**good, "ma_thu_tuc": "1.000005", "linh_vuc": 42}),
        "1.000006.json": json.dumps({**good, "ma_thu_tuc": "1.000006", "thanh_phan_ho_so": ""}),
        "1.000007.json": json.dumps({"ma_thu_tuc": "1.000007", "ten_thu_tuc": "Chỉ có tên"}),
        "1.001193.json": json.dumps(good, ensure_ascii=False),
        "copy-of-1.001193.json": json.dumps(good),
        "1.000008.json": "\xff\xfe binary",
    }
    for name, text in records.items():
        (source / name).write_text(text, encoding="utf-8")
    report = import_portal(tmp_path / "raw", tmp_path / "out", tmp_path / "report.json")
    assert (report.records, report.parsed) == (10, 3)
    assert report.with_components == 1
    failed = {f.file: f.error for f in report.failed}
    assert set(failed) == {f"bo-test/{n}" for n in (
        "1.000001.json", "1.000002.json", "1.000003.json", "1.000004.json", "1.000005.json",
        "copy-of-1.001193.json", "1.000008.json")}
    assert "JSONDecodeError" in failed["bo-test/1.000001.json"]
    assert "ma_thu_tuc" in failed["bo-test/1.000003.json"]
    assert "không hợp lệ" in failed["bo-test/1.000004.json"]
    assert "trùng" in failed["bo-test/copy-of-1.001193.json"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "1.000006.yaml", "1.000007.yaml", "1.001193.yaml"]
    empty = yaml.safe_load((tmp_path / "out" / "1.000007.yaml").read_text(encoding="utf-8"))
    assert empty["procedure"]["component_groups"] == []
    assert "thiếu trường 'thanh_phan_ho_so'" in empty["draft"]["warnings"]
    written = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert len(written["failed"]) == 7 and written["parsed"] == 3


def test_refuses_to_write_drafts_into_the_catalogue(tmp_path: Path) -> None:
    before = sorted(p.name for p in CATALOGUE_DIR.iterdir())
    with pytest.raises(ValueError, match="catalogue"):
        import_portal(SAMPLE, CATALOGUE_DIR, tmp_path / "report.json")
    assert sorted(p.name for p in CATALOGUE_DIR.iterdir()) == before


def test_component_groups_from_the_documented_example() -> None:
    text = ("* Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Giấy chứng sinh;1 bản chính"
            "- Tờ khai theo Mẫu số 181 bản chính,1 bản sao* Giấy tờ phải xuất trình:Tên giấy tờ"
            "Mẫu đơn, tờ khaiSố lượng- Căn cước1 bản chính* Lưu ý:Tên giấy tờMẫu đơn, tờ khai"
            "Số lượng+ Không yêu cầu nộp bản sao.0 bản chính")
    groups = parse_components(text)
    assert [(g.name, g.kind) for g in groups] == [
        ("Giấy tờ phải nộp", GroupKind.SUBMIT), ("Giấy tờ phải xuất trình", GroupKind.SHOWN),
        ("Lưu ý", GroupKind.NOTE)]
    form = groups[0].rows[1]
    assert (form.name, form.originals, form.copies) == ("Tờ khai theo Mẫu số 18", 1, 1)
    assert form.suspect is not None
    assert parse_components("") == parse_components("Không có thông tin") == ()


def test_merged_digit_rule() -> None:
    assert split_merged_digits("1") == ("", 1, None)
    assert split_merged_digits("10")[:2] == ("", 10)
    assert split_merged_digits("021")[:2] == ("02", 1)
    assert split_merged_digits("20201")[:2] == ("2020", 1)


def test_field_parsers_on_small_inputs() -> None:
    assert clean_title("Hỗ trợ\ndự án (1.003434).", "1.003434") == "Hỗ trợ dự án"
    channels = parse_channels("Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến120 VNĐ")
    assert (channels[0].time_value, channels[0].fee_amount) == (1, 20)
    assert channels[0].suspect is not None
    results = parse_results("Giấy ANhiềuMã: KQ.G01.000014Biển sốMã: KQ.G01.000015Từ khóaX")
    assert [(r.name, r.code) for r in results] == [
        ("Giấy ANhiều", "KQ.G01.000014"), ("Biển số", "KQ.G01.000015")]
    bases = parse_legal_bases("Tên văn bản pháp lýMã văn bảnLuật Hộ tịch60/2014/QH13"
                              "Nghị định 123/2015/NĐ-CP123/2015/NĐ-CP")
    assert [(b.title, b.number) for b in bases] == [
        ("Luật Hộ tịch", "60/2014/QH13"), ("Nghị định 123/2015/NĐ-CP", "123/2015/NĐ-CP")]
