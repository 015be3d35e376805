"""E-ARK packages of a dossier (TT 05/2025/TT-BNV): AIP layout, METS/EAD/PREMIS, round trip,
integrity checks on read, and the watermarked reading copy. Real PDFs, real zips, real lxml."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import stat
import unicodedata
import uuid
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from lxml import etree
from reportlab.pdfgen.canvas import Canvas

from storage.eark import (
    DIGITIZED,
    FontUnavailable,
    PackageDocument,
    PackageDossier,
    PackageEvent,
    PackageFile,
    PackageInvalid,
    PackageMetadataInvalid,
    ReadLimits,
    Software,
    build_aip,
    build_dip,
    read_aip,
)
from storage.eark.reading_copy import register_font
from tests.synthetic import BIRTH_FORM, render_page, to_png

VN = dt.timezone(dt.timedelta(hours=7))
CODE = "000.00.15.H05-250703-0001"
BODY = "Ủy ban nhân dân xã Hòa Bình"
SOFTWARE = Software(name="sohoa", version="0.1.0")
NS = {"mets": "http://www.loc.gov/METS/", "xlink": "http://www.w3.org/1999/xlink",
      "premis": "http://www.loc.gov/premis/v3", "ead": "https://sohoa.local/xml/tt05-ead/1",
      "csip": "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"}


def text_pdf(pages: Sequence[Sequence[str]], size: tuple[float, float] = (595, 842)) -> bytes:
    """A born-digital PDF with a Vietnamese text layer, one list of lines per page."""
    font = register_font()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size, invariant=True)
    for lines in pages:
        canvas.setFont(font, 13)
        for number, line in enumerate(lines):
            canvas.drawString(72, size[1] - 100 - 20 * number, line)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2025, 7, 3, hour, minute, tzinfo=VN)


def make_dossier() -> PackageDossier:
    return PackageDossier(
        code=CODE, unit="000.00.15.H05", unit_name=BODY, procedure_code="1.001193",
        procedure_name="Thủ tục đăng ký khai sinh",
        title="Hồ sơ đăng ký khai sinh cho Trần Minh Khôi", received_at=at(8, 15),
        archived_at=at(16, 30), maintenance="01", mode="02", keywords=("khai sinh", "hộ tịch"),
        description="Hồ sơ tiếp nhận trực tiếp", completeness="complete",
        arc_file_code="H05.15.2025.01.0001",
        events=(
            PackageEvent("ingestion", at(8, 16), "sohoa", detail="2 tệp tải lên"),
            PackageEvent("ocr", at(8, 17), "tesseract 5.3.0 vie", detail="3 trang"),
            PackageEvent("classification", at(8, 18), "sohoa"),
            PackageEvent("correction", at(9, 5), "Nguyễn Văn An", detail="tài liệu 2: loại",
                         agent_type="person"),
            PackageEvent("archiving", at(16, 29), "sohoa", outcome="success"),
        ))


def make_documents() -> list[PackageDocument]:
    form = text_pdf([["TỜ KHAI ĐĂNG KÝ KHAI SINH", "Họ, chữ đệm, tên: Trần Minh Khôi"]])
    certificate = text_pdf([["GIẤY CHỨNG SINH", "Bệnh viện Đa khoa tỉnh Phú Thọ"],
                            ["Người đỡ đẻ: Lê Thị Hồng"]])
    return [
        PackageDocument(ordinal=1, doc_type="to_khai_khai_sinh",
                        doc_type_name="Tờ khai đăng ký khai sinh",
                        subject="Tờ khai đăng ký khai sinh cho Trần Minh Khôi", page_count=1,
                        pdf=form,
                        text="TỜ KHAI ĐĂNG KÝ KHAI SINH\nHọ, chữ đệm, tên: Trần Minh Khôi",
                        ocr_json='{"pages": [{"words": ["TỜ", "KHAI"]}]}'.encode(),
                        pdf_sha256=hashlib.sha256(form).hexdigest()),
        PackageDocument(ordinal=2, doc_type="giay_chung_sinh", doc_type_name="Giấy chứng sinh",
                        subject="Giấy chứng sinh của Trần Minh Khôi", page_count=2,
                        pdf=certificate, text="GIẤY CHỨNG SINH\f Người đỡ đẻ: Lê Thị Hồng",
                        issued_date=dt.date(2025, 6, 30), code_number="1234",
                        code_notation="GCS/BV-PT", organ_name="Bệnh viện Đa khoa tỉnh Phú Thọ"),
    ]


def make_originals() -> list[PackageFile]:
    scan = to_png(render_page(BIRTH_FORM, dpi=40), dpi=40)
    return [PackageFile(name="Tờ khai (quét) 1.PNG", media_type="image/png", data=scan)]


@pytest.fixture(scope="module")
def aip() -> bytes:
    return build_aip(make_dossier(), make_documents(), make_originals(), software=SOFTWARE)


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def root_of(data: bytes) -> str:
    return next(iter(members(data))).split("/", 1)[0]


def xml(data: bytes, path: str) -> etree._Element:
    return etree.fromstring(members(data)[f"{root_of(data)}/{path}"])


def rewrite(data: bytes, change: Callable[[str, bytes], bytes | None],
            extra: Sequence[tuple[str, bytes]] = ()) -> bytes:
    """A copy of a zip with members changed (None drops one) and extra members added."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, body in members(data).items():
            changed = change(name, body)
            if changed is not None:
                archive.writestr(name, changed)
        for name, body in extra:
            archive.writestr(name, body)
    return buffer.getvalue()


def test_layout_follows_tt05_and_csip(aip: bytes) -> None:
    names = list(members(aip))
    root = root_of(aip)
    match = re.fullmatch(r"urn_000\.00\.15\.H05_uuid_([0-9A-F-]{36})", root)
    assert match and uuid.UUID(match.group(1)).version == 5
    assert all(name.startswith(f"{root}/") for name in names)
    relative = sorted(name[len(root) + 1:] for name in names)
    assert relative == sorted([
        "METS.xml", "metadata/descriptive/EAD.xml", "metadata/preservation/PREMIS.xml",
        "schemas/README.txt",
        f"representations/rep1/data/{CODE}.1.pdf", f"representations/rep1/data/{CODE}.2.pdf",
        f"representations/rep2/data/{CODE}.1.txt", f"representations/rep2/data/{CODE}.1.ocr.json",
        f"representations/rep2/data/{CODE}.2.txt", "representations/rep0/data/001.png"])
    mets = xml(aip, "METS.xml")
    assert mets.get("OBJID") == f"urn:000.00.15.H05:uuid:{match.group(1)}"
    assert mets.get("PROFILE") == "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml"
    header = mets.find("mets:metsHdr", NS)
    assert header is not None and header.get(f"{{{NS['csip']}}}OAISPACKAGETYPE") == "AIP"
    assert mets.findtext("mets:metsHdr/mets:altRecordID", namespaces=NS) == CODE
    assert mets.findtext("mets:metsHdr/mets:agent[@OTHERTYPE='SOFTWARE']/mets:note",
                         namespaces=NS) == "0.1.0"
    division = mets.find("mets:structMap[@TYPE='PHYSICAL'][@LABEL='CSIP']/mets:div", NS)
    assert division is not None and division.get("LABEL") == mets.get("OBJID")
    labels = [d.get("LABEL") for d in division.findall("mets:div", NS)]
    assert labels == ["Metadata", "Schemas", "Representations/rep1", "Representations/rep2",
                      "Representations/rep0"]


def test_mets_lists_every_member_with_its_size_and_sha256(aip: bytes) -> None:
    root, files = root_of(aip), members(aip)
    mets = xml(aip, "METS.xml")
    described = [(ref, ref) for ref in mets.iterfind(".//mets:mdRef", NS)]
    described += [(f, f.find("mets:FLocat", NS)) for f in mets.iterfind(".//mets:file", NS)]
    listed = set()
    for element, locator in described:
        assert locator is not None
        path = f"{root}/{locator.get('{http://www.w3.org/1999/xlink}href')}"
        listed.add(path)
        assert element.get("CHECKSUMTYPE") == "SHA-256"
        assert element.get("CHECKSUM") == hashlib.sha256(files[path]).hexdigest()
        assert element.get("SIZE") == str(len(files[path]))
        assert element.get("MIMETYPE")
    assert listed == set(files) - {f"{root}/METS.xml"}
    dmd = mets.find("mets:dmdSec/mets:mdRef", NS)
    premis = mets.find("mets:amdSec/mets:digiprovMD/mets:mdRef", NS)
    assert dmd is not None and dmd.get("{http://www.w3.org/1999/xlink}href").endswith("EAD.xml")
    assert premis is not None and premis.get("MDTYPE") == "PREMIS"


def test_ead_carries_tt05_and_nd30_fields(aip: bytes) -> None:
    ead = xml(aip, "metadata/descriptive/EAD.xml")
    file_level = ead.find("ead:file", NS)
    assert file_level is not None

    def field(name: str, element: etree._Element = file_level) -> str | None:
        return element.findtext(f"ead:{name}", namespaces=NS)

    assert field("fileCode") == CODE and field("arcFileCode") == "H05.15.2025.01.0001"
    assert field("fondsCode") == "000.00.15.H05" and field("organName") == BODY
    assert field("title") == "Hồ sơ đăng ký khai sinh cho Trần Minh Khôi"
    assert (field("maintenance"), field("mode"), field("language")) == ("01", "02", "vi")
    assert (field("startDate"), field("endDate")) == ("2025-07-03", "2025-07-03")
    assert [k.text for k in file_level.findall("ead:keyword", NS)] == ["khai sinh", "hộ tịch"]
    assert (field("totalDoc"), field("numberOfPage")) == ("2", "3")
    first, second = file_level.findall("ead:document", NS)
    assert field("arcDocCode", first) == "H05.15.2025.01.0001.0000001"
    assert field("arcDocCode", second) == "H05.15.2025.01.0001.0000002"
    assert field("confidenceLevel", first) == field("confidenceLevel", second) == DIGITIZED
    assert field("typeName", second) == "Giấy chứng sinh"
    assert (field("codeNumber", second), field("codeNotation", second)) == ("1234", "GCS/BV-PT")
    assert field("issuedDate", second) == "2025-06-30"
    assert field("organName", second) == "Bệnh viện Đa khoa tỉnh Phú Thọ"
    assert field("codeNumber", first) is None  # unknown is left out, not written empty
    assert field("numberOfPage", second) == "2"


def test_premis_has_fixity_events_and_agents(aip: bytes) -> None:
    root, files = root_of(aip), members(aip)
    premis = xml(aip, "metadata/preservation/PREMIS.xml")
    digests = {o.findtext(".//premis:objectIdentifierValue", namespaces=NS):
               o.findtext(".//premis:messageDigest", namespaces=NS)
               for o in premis.iterfind("premis:object[@xsi:type='premis:file']",
                                        {**NS, "xsi": "http://www.w3.org/2001/XMLSchema-instance"})}
    content = {name[len(root) + 1:]: body for name, body in files.items()
               if "/representations/" in name}
    assert digests == {path: hashlib.sha256(body).hexdigest() for path, body in content.items()}
    assert premis.findtext(".//premis:originalName", namespaces=NS) == "Tờ khai (quét) 1.PNG"
    kinds = [e.findtext("premis:eventType", namespaces=NS)
             for e in premis.iterfind("premis:event", NS)]
    assert kinds == ["ingestion", "ocr", "classification", "correction", "archiving",
                     "information package creation"]
    agents = {a.findtext("premis:agentName", namespaces=NS):
              (a.findtext("premis:agentType", namespaces=NS),
               a.findtext("premis:agentVersion", namespaces=NS))
              for a in premis.iterfind("premis:agent", NS)}
    assert agents["sohoa"] == ("software", "0.1.0")
    assert agents["Nguyễn Văn An"] == ("person", None)
    assert CODE in etree.tostring(premis, encoding="unicode")


def test_round_trip_restores_equal_values(aip: bytes) -> None:
    restored = read_aip(aip)
    assert restored.dossier == make_dossier()
    assert restored.documents == tuple(make_documents())
    assert restored.originals == tuple(make_originals())
    assert [d.pdf for d in restored.documents] == [d.pdf for d in make_documents()]
    assert restored.objid == f"urn:000.00.15.H05:uuid:{root_of(aip).rsplit('_', 1)[1]}"


def test_builds_are_byte_identical(aip: bytes) -> None:
    again = build_aip(make_dossier(), list(reversed(make_documents())), make_originals(),
                      software=SOFTWARE)
    assert again == aip


def test_altered_member_is_reported_by_name(aip: bytes) -> None:
    target = f"representations/rep1/data/{CODE}.2.pdf"
    tampered = rewrite(aip, lambda name, body: body.replace(b"%%EOF", b"%%EOX")
                       if name.endswith(target) else body)
    with pytest.raises(PackageInvalid) as caught:
        read_aip(tampered)
    assert caught.value.code == "package_invalid"
    assert [p for p in caught.value.problems if target in p and "SHA-256" in p]
    assert "không hợp lệ" in caught.value.message_vi and target in str(caught.value)


def test_missing_and_unlisted_members_are_reported(aip: bytes) -> None:
    root = root_of(aip)
    missing = f"representations/rep2/data/{CODE}.2.txt"
    damaged = rewrite(aip, lambda name, body: None if name.endswith(missing) else body,
                      extra=[(f"{root}/representations/rep1/data/extra.pdf", b"%PDF-1.4")])
    with pytest.raises(PackageInvalid) as caught:
        read_aip(damaged)
    problems = "\n".join(caught.value.problems)
    assert f"{missing}: listed in METS.xml but missing" in problems
    assert "representations/rep1/data/extra.pdf: in the zip but not listed" in problems


@pytest.mark.parametrize("name", ["../evil", "/etc/evil", "root/../../evil", "C:/evil",
                                  "root\\..\\evil"])
def test_unsafe_member_names_are_rejected(aip: bytes, name: str) -> None:
    with pytest.raises(PackageInvalid) as caught:
        read_aip(rewrite(aip, lambda _, body: body, extra=[(name, b"x")]))
    assert any(name in problem for problem in caught.value.problems)


def test_symbolic_link_members_are_rejected(aip: bytes) -> None:
    link = zipfile.ZipInfo(f"{root_of(aip)}/schemas/link")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    buffer = io.BytesIO(rewrite(aip, lambda _, body: body))
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(link, "/etc/passwd")
    with pytest.raises(PackageInvalid, match="symbolic link"):
        read_aip(buffer.getvalue())


def test_non_zip_and_oversized_input_are_rejected(aip: bytes) -> None:
    with pytest.raises(PackageInvalid, match="not a zip"):
        read_aip(b"%PDF-1.7 this is not a package")
    with pytest.raises(PackageInvalid, match="more than the 1000 allowed"):
        read_aip(aip, limits=ReadLimits(max_total_bytes=1000))


def test_metadata_the_package_cannot_carry_is_refused() -> None:
    document = make_documents()[0]
    with pytest.raises(PackageMetadataInvalid, match="subject is longer than 500"):
        PackageDocument(1, "x", "X", "a" * 501, 1, document.pdf, "")
    with pytest.raises(PackageMetadataInvalid, match="pdf_sha256 does not match"):
        PackageDocument(1, "x", "X", "s", 1, document.pdf, "", pdf_sha256="0" * 64)
    with pytest.raises(PackageMetadataInvalid, match="timezone-aware"):
        PackageEvent("ocr", dt.datetime(2025, 7, 3, 8), "sohoa")
    with pytest.raises(PackageMetadataInvalid, match="subject holds control characters"):
        PackageDocument(1, "x", "X", "trang 1\x0ctrang 2", 1, document.pdf, "")
    with pytest.raises(PackageMetadataInvalid, match="not a PDF"):
        PackageDocument(1, "x", "X", "s", 1, b"GIF89a", "")
    with pytest.raises(PackageMetadataInvalid, match="duplicate document ordinal 1"):
        build_aip(make_dossier(), [document, document])


def dip_text(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [unicodedata.normalize("NFC", page.extract_text() or "")
                for page in document.pages]


def test_reading_copy_marks_every_page() -> None:
    documents = make_documents()
    dip = build_dip(make_dossier(), documents, BODY)
    pages = dip_text(dip)
    assert len(pages) == 3
    assert all(BODY in page for page in pages)
    assert "BẢN SAO" in pages[0] and "TỜ KHAI ĐĂNG KÝ KHAI SINH" in pages[0]
    assert "BẢN SAO" in pages[1] and "BẢN SAO" not in pages[2]  # first page of each document
    with pdfplumber.open(io.BytesIO(dip)) as document:
        page = document.pages[0]
        mark = page.search("BẢN SAO")[0]
        assert mark["x0"] > page.width / 2 and mark["top"] < 60
        watermark = page.search(BODY)[0]
        assert abs((watermark["x0"] + watermark["x1"]) / 2 - page.width / 2) < 2
        assert watermark["bottom"] > page.height - 30
    assert build_dip(make_dossier(), documents, BODY) == dip
    with pikepdf.open(io.BytesIO(dip)) as pdf, pdf.open_outline() as outline:
        titles = [item.title for item in outline.root]
    assert titles == ["1. Tờ khai đăng ký khai sinh: Tờ khai đăng ký khai sinh cho Trần Minh Khôi",
                      "2. Giấy chứng sinh: Giấy chứng sinh của Trần Minh Khôi"]


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_reading_copy_marks_read_upright_on_rotated_pages(rotate: int) -> None:
    source = pikepdf.open(io.BytesIO(text_pdf([["BẢN VẼ MẶT BẰNG"]], size=(842, 595))))
    source.pages[0].obj.Rotate = rotate
    buffer = io.BytesIO()
    source.save(buffer)
    document = PackageDocument(1, "ban_ve", "Bản vẽ", "Bản vẽ mặt bằng", 1, buffer.getvalue(), "")
    dip = build_dip(make_dossier(), [document], BODY)
    with pdfplumber.open(io.BytesIO(dip)) as pdf:
        page = pdf.pages[0]
        watermark = page.search(BODY)[0]
        assert watermark["bottom"] > page.height - 30
        assert all(char["upright"] for char in watermark["chars"])


def test_reading_copy_without_a_vietnamese_font_says_so(tmp_path: Path) -> None:
    with pytest.raises(FontUnavailable) as caught:
        build_dip(make_dossier(), make_documents(), BODY, font_path=tmp_path / "none.ttf")
    assert caught.value.code == "font_unavailable" and "none.ttf" in str(caught.value)
