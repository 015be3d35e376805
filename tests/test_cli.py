"""The ``sohoa`` command: same pipeline as the web service, JSON on stdout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.cli import main
from storage.s3 import S3Config
from tests.synthetic import BIRTH_CERTIFICATE, BIRTH_FORM, render_page, to_pdf, to_png


@pytest.fixture
def environment(tmp_path: Path, s3_server: S3Config, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOHOA_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("SOHOA_S3_ENDPOINT", s3_server.endpoint)
    monkeypatch.setenv("SOHOA_S3_ACCESS_KEY", s3_server.access_key)
    monkeypatch.setenv("SOHOA_S3_SECRET_KEY", s3_server.secret_key)
    monkeypatch.setenv("SOHOA_S3_BUCKET", s3_server.bucket)
    monkeypatch.setenv("SOHOA_OCR_DPI", "200")
    return tmp_path


def test_ocr_json(environment: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scan = environment / "to-khai.png"
    scan.write_bytes(to_png(render_page(BIRTH_FORM, dpi=200), dpi=200))
    assert main(["ocr", str(scan), "--json"]) == 0
    output = json.loads(capsys.readouterr().out)
    [page] = output["pages"]
    assert page["index"] == 0 and "TỜ KHAI ĐĂNG KÝ KHAI SINH" in page["text"]
    assert page["mean_confidence"] > 80
    assert {"text", "conf", "box"} <= set(page["words"][0])


def test_ingest_json(environment: Path, capsys: pytest.CaptureFixture[str]) -> None:
    form, certificate = environment / "to-khai.pdf", environment / "chung-sinh.png"
    form.write_bytes(to_pdf([render_page(BIRTH_FORM, dpi=200)], dpi=200))
    certificate.write_bytes(to_png(render_page(BIRTH_CERTIFICATE, dpi=200), dpi=200))
    code = main(["ingest", str(form), str(certificate), "--procedure", "1.001193",
                 "--unit", "000.00.15.H05", "--json"])
    assert code == 0
    dossier = json.loads(capsys.readouterr().out)
    assert dossier["code"].startswith("000.00.15.H05-")
    assert [(d["doc_type"], d["pages"]) for d in dossier["documents"]] == [
        ("to_khai_dang_ky_khai_sinh", [0]), ("giay_chung_sinh", [0])]
    assert all(d["doc_type_name"] and d["confidence"] > 0.8 for d in dossier["documents"])
    states = {c["component_id"]: c["state"] for c in dossier["completeness"]["components"]}
    assert states["to_khai"] == states["giay_chung_sinh"] == "satisfied"


def test_errors_name_the_problem(environment: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scan = environment / "a.png"
    scan.write_bytes(b"not an image")
    assert main(["ingest", str(scan), "--procedure", "9.999999", "--json"]) == 2
    assert "unknown_procedure" in capsys.readouterr().err
    assert main(["ocr", str(scan)]) == 2
    assert "unsupported_media_type" in capsys.readouterr().err
    assert main(["ocr", str(environment / "missing.pdf")]) == 2
    assert "Không đọc được tệp" in capsys.readouterr().err


def test_start_up_refuses_a_missing_dependency(
    environment: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import free_port_block

    monkeypatch.setenv("SOHOA_S3_ENDPOINT", f"127.0.0.1:{free_port_block(1)}")  # nobody there
    assert main(["serve"]) == 3
    assert "S3" in capsys.readouterr().err

    broken = environment / "catalogue"
    broken.mkdir()
    (broken / "1.001193.yaml").write_text('code: "1.001193"\nname: Khai sinh\n', encoding="utf-8")
    monkeypatch.setenv("SOHOA_CATALOGUE_DIR", str(broken))
    assert main(["serve"]) == 3
    error = capsys.readouterr().err
    assert "catalogue_invalid" in error and "1.001193.yaml" in error and "versions" in error

    monkeypatch.setenv("SOHOA_OCR_LANG", "vie+klingon")
    assert main(["serve"]) == 3
    assert "klingon" in capsys.readouterr().err


def test_check_reports_completeness_of_given_types(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "--procedure", "1.001193", "--types",
                 "to_khai_dang_ky_khai_sinh,giay_cam_doan", "--answer", "uy_quyen=yes", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["verdict"] == "incomplete"
    states = {c["component_id"]: c["state"] for c in report["components"]}
    assert states["giay_cam_doan"] == "satisfied" and states["giay_chung_sinh"] == "not_applicable"
    assert states["van_ban_uy_quyen"] == "missing"
    assert main(["check", "--procedure", "1.001193", "--types", "khong_ton_tai"]) == 2
    assert "unknown_doc_type" in capsys.readouterr().err
    assert main(["check", "--procedure", "1.001193", "--answer", "uy_quyen"]) == 2


def test_progress_bar_draws_on_a_terminal_only() -> None:
    import io

    from api.commands import progress_bar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen, redirected = Terminal(), io.StringIO()
    for done in (1, 2, 4):
        progress_bar(screen, width=4)(done, 4)
        progress_bar(redirected, width=4)(done, 4)
    assert screen.getvalue().split("\r")[1:] == [
        "Đang nhận dạng [#---] 1/4 trang", "Đang nhận dạng [##--] 2/4 trang",
        "Đang nhận dạng [####] 4/4 trang\n"]
    assert redirected.getvalue() == ""


def test_classify_json(environment: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scan = environment / "ho-so.pdf"
    scan.write_bytes(to_pdf([render_page(BIRTH_FORM, dpi=200),
                             render_page(BIRTH_CERTIFICATE, dpi=200)], dpi=200))
    assert main(["classify", str(scan), "--json"]) == 0
    output = json.loads(capsys.readouterr().out)
    documents = output["documents"]
    assert [(d["doc_type"], d["pages"], d["needs_review"]) for d in documents] == [
        ("to_khai_dang_ky_khai_sinh", [0], False), ("giay_chung_sinh", [1], False)]
    assert documents[0]["fields"]["ho_ten"] == "Nguyễn Thị Lan"
    assert "mô hình" in documents[0]["reason"]  # the rules and the model both had their say
    assert output["classifier_version"].startswith("rules-title-v2+doctype-")


def test_model_status_and_a_corrupt_model_stops_commands(
        environment: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from classify.model.artefact import DEFAULT_MODEL_DIR, load_model

    assert main(["model", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["current"] == load_model(DEFAULT_MODEL_DIR).version
    assert status["versions"][0]["promoted"] is True
    broken = environment / "doctype"
    broken.mkdir()
    (broken / "manifest.json").write_text("{ hỏng", encoding="utf-8")
    monkeypatch.setenv("SOHOA_DOCTYPE_MODEL_DIR", str(broken))
    scan = environment / "to-khai.png"
    scan.write_bytes(to_png(render_page(BIRTH_FORM, dpi=200), dpi=200))
    assert main(["classify", str(scan), "--json"]) == 3
    err = capsys.readouterr().err
    assert "model_invalid" in err and "Mô hình phân loại giấy tờ" in err and "unusable" in err
