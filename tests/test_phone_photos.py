"""Phone photos: WebP (Pillow) and HEIC/HEIF (pillow-heif), sniffed, capped, rasterized, read."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from api.services import Services
from api.usecases import accept_upload, create_dossier
from ingest.errors import CorruptFile, SohoaError
from ingest.images import register_formats
from ingest.intake import IntakeLimits, inspect_upload
from ingest.rasterize import rasterize
from ingest.sniff import MediaType, sniff_media_type
from ocr.tesseract import TesseractConfig, TesseractEngine
from storage import repository as repo
from tests.synthetic import BIRTH_FORM, render_page

LIMITS = IntakeLimits()


def photo(fmt: str, image: Image.Image | None = None, **options: object) -> bytes:
    register_formats()
    buffer = io.BytesIO()
    (image or render_page(BIRTH_FORM, dpi=200)).save(buffer, format=fmt, **options)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def heic() -> bytes:
    return photo("HEIF", quality=90)


@pytest.fixture(scope="module")
def webp() -> bytes:
    return photo("WEBP", quality=90)


def test_photos_are_sniffed_from_their_bytes(heic: bytes, webp: bytes) -> None:
    assert sniff_media_type(heic) is MediaType.HEIC
    assert sniff_media_type(webp) is MediaType.WEBP
    assert MediaType.HEIC.extension == "heic" and MediaType.WEBP.extension == "webp"
    for data, kind in ((heic, MediaType.HEIC), (webp, MediaType.WEBP)):
        intake = inspect_upload(data, "ảnh chụp", LIMITS)
        assert (intake.media_type, intake.page_count) == (kind, 1)


@pytest.mark.parametrize("fmt", ["HEIF", "WEBP"])
def test_photos_are_read_like_any_page(fmt: str) -> None:
    data = photo(fmt, quality=92)
    [page] = rasterize(data, sniff_media_type(data), 300, LIMITS.max_page_pixels)
    assert page.image.mode == "RGB" and page.image.size == render_page(BIRTH_FORM, 200).size
    text = TesseractEngine(TesseractConfig()).recognize(page).text
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in text


@pytest.mark.parametrize("fmt", ["HEIF", "WEBP"])
def test_oversized_photos_are_refused_from_the_header(fmt: str) -> None:
    large = photo(fmt, Image.new("RGB", (4000, 3000), "white"), quality=50)
    with pytest.raises(CorruptFile) as refused:
        inspect_upload(large, "to.jpg", IntakeLimits(max_page_pixels=10_000_000))
    assert refused.value.code == "page_too_large"
    assert "quá lớn" in str(refused.value) and "too large" in str(refused.value)


@pytest.mark.parametrize("fmt", ["HEIF", "WEBP"])
def test_tiny_photos_are_refused(fmt: str) -> None:
    with pytest.raises(SohoaError) as refused:
        inspect_upload(photo(fmt, Image.new("RGB", (120, 90), "white")), "nho", LIMITS)
    assert refused.value.code == "page_too_small"


@pytest.mark.parametrize("cut", [0.5, 0.95])
def test_truncated_photos_are_refused(heic: bytes, webp: bytes, cut: float) -> None:
    for data in (heic, webp):
        with pytest.raises(CorruptFile) as refused:
            inspect_upload(data[: int(len(data) * cut)], "hong", LIMITS)
        assert "không đọc được" in str(refused.value) and "cannot be read" in str(refused.value)


def test_a_corrupt_heic_stores_nothing(services: Services, heic: bytes) -> None:
    dossier = create_dossier(services, "1.001193", "000.00.15.H05")
    before = services.store.list_keys()
    broken = heic[:48] + bytes(len(heic) - 48)  # header kept, picture data zeroed
    with pytest.raises(CorruptFile) as refused:
        accept_upload(services, dossier.id, [("anh-hong.heic", broken)])
    assert refused.value.code == "corrupt_file"
    assert services.store.list_keys() == before
    with services.session() as session:
        assert repo.get_dossier(session, dossier.id).jobs == []
