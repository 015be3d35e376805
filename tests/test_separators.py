"""Separator and dossier cover sheets read with zxing-cpp, and batch splitting."""

from __future__ import annotations

import io

import numpy as np
import pytest
import segno
from PIL import Image

from ingest.separators import (
    SEPARATOR_TEXT,
    BatchDossier,
    Code,
    SheetKind,
    SheetRole,
    classify_sheet,
    dossier_code_in,
    find_codes,
    render_cover_sheet,
    render_separator_sheet,
    split_batch,
)
from tests.synthetic import BIRTH_FORM, PageSpec, render_page

CODE_A = "000.00.15.H05-250703-0001"
CODE_B = "000.00.15.H05-250703-0002"


def scanned(sheet: Image.Image, seed: int, degrees: float) -> Image.Image:
    """A photocopied, grainy, slightly crooked scan of a printed sheet."""
    rng = np.random.default_rng(seed)
    grey = np.asarray(sheet.convert("L")).astype(np.float32) * 0.7 + 40
    grey += rng.normal(0, 20, grey.shape)
    noisy = Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8))
    return noisy.rotate(degrees, resample=Image.Resampling.BICUBIC, fillcolor=200).convert("RGB")


@pytest.mark.parametrize(("dpi", "degrees"), [(200, 2.5), (300, -3.0)])
def test_separator_sheet_read_after_noise_and_rotation(dpi: int, degrees: float) -> None:
    sheet = scanned(render_separator_sheet(dpi), seed=dpi, degrees=degrees)
    codes = find_codes(sheet)
    assert {(c.format, c.text) for c in codes} == {("QRCode", SEPARATOR_TEXT),
                                                   ("Code128", SEPARATOR_TEXT)}
    assert classify_sheet(sheet).role is SheetRole.SEPARATOR


def test_cover_sheet_starts_a_dossier() -> None:
    kind = classify_sheet(scanned(render_cover_sheet(CODE_A, 200), seed=5, degrees=-2))
    assert kind.role is SheetRole.COVER and kind.dossier_code == CODE_A


def receipt_page(qr_module_px: int) -> Image.Image:
    """A Mẫu 01 receipt at 300 dpi: an ordinary form with a QR of the dossier code at the top."""
    page = render_page(PageSpec(title="GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
                                body=("Mã hồ sơ: " + CODE_B,)), dpi=300)
    buffer = io.BytesIO()
    segno.make(CODE_B, error="m").save(buffer, kind="png", scale=qr_module_px, border=2)
    buffer.seek(0)
    page.paste(Image.open(buffer).convert("RGB"), (page.width - 450, 150))
    return page


def test_receipt_with_a_small_qr_is_a_cover() -> None:
    kind = classify_sheet(receipt_page(qr_module_px=8))  # a 2.5 cm QR
    assert kind.role is SheetRole.COVER and kind.dossier_code == CODE_B


def test_a_tiny_qr_is_found_by_the_full_size_look() -> None:
    """An 8 mm QR is lost on the downscaled copy; the full-size QR look finds it."""
    page = receipt_page(qr_module_px=3)
    assert find_codes(page, thorough=False) == ()
    assert [c.text for c in find_codes(page)] == [CODE_B]
    grey = np.asarray(page.convert("L"))  # the page pipeline passes grey pixels
    assert classify_sheet(grey).dossier_code == CODE_B


def test_ordinary_page_has_no_codes() -> None:
    page = render_page(BIRTH_FORM, dpi=200)
    assert find_codes(page) == ()
    assert classify_sheet(page) == SheetKind(SheetRole.PAGE)


@pytest.mark.parametrize(("text", "expected"), [
    (CODE_A, CODE_A),
    (f"  {CODE_A}\n", CODE_A),
    (f"https://dichvucong.gov.vn/tra-cuu?maHoSo={CODE_A}", CODE_A),
    ("H19-250703-12345", "H19-250703-12345"),
    ("000.00.15.h05-250703-0001", None),  # codes are upper case
    ("000.00.15.H05-25073-0001", None),  # the date has six digits
    (f"{CODE_A} {CODE_B}", None),  # two codes: ambiguous
    (SEPARATOR_TEXT, None),
])
def test_dossier_code_in_qr_text(text: str, expected: str | None) -> None:
    assert dossier_code_in(text) == expected


def cover(code: str) -> SheetKind:
    return SheetKind(SheetRole.COVER, code)


SEP = SheetKind(SheetRole.SEPARATOR)
PAGE = SheetKind(SheetRole.PAGE)


def test_split_batch_into_dossiers_and_documents() -> None:
    batch = [cover(CODE_A), PAGE, PAGE, SEP, PAGE, cover(CODE_B), PAGE]
    assert split_batch(batch) == [
        BatchDossier(CODE_A, ((1, 2), (4,)), separator_pages=(3,), cover_pages=(0,)),
        BatchDossier(CODE_B, ((6,),), cover_pages=(5,)),
    ]


def test_split_batch_from_codes_found_per_page() -> None:
    sep = (Code("Code128", SEPARATOR_TEXT, ()),)
    other_qr = (Code("QRCode", "https://example.vn/not-a-dossier", ()),)  # a CCCD-like QR
    pages: list[tuple[Code, ...]] = [(Code("QRCode", CODE_A, ()),), (), other_qr, sep, ()]
    [dossier] = split_batch(pages)
    assert dossier.code == CODE_A and dossier.documents == ((1, 2), (4,))


def test_split_batch_unassigned_pages_skips_and_repeated_cover() -> None:
    batch = [PAGE, SEP, PAGE, cover(CODE_A), SEP, PAGE, PAGE, cover(CODE_A), PAGE]
    unassigned, dossier = split_batch(batch, skip=[5])
    assert unassigned.unassigned and unassigned.documents == ((0,), (2,))
    assert unassigned.separator_pages == (1,)
    assert dossier.code == CODE_A and dossier.cover_pages == (3, 7)
    assert dossier.documents == ((6,), (8,)) and dossier.skipped_pages == (5,)
    assert split_batch([]) == []
