"""Image resolution: file metadata, or the paper size when the metadata is a placeholder.

The real scans in ../shared/data/external are 200 dpi A4 pages whose PNGs say 72 dpi; before
the paper-size inference every one of them was flagged ``low_dpi``/rescan.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from ingest.analysis.page import analyse_page
from ingest.rasterize import rasterize
from ingest.resolution import DpiSource, Resolution, image_resolution, paper_resolution
from ingest.sniff import MediaType
from tests.shared_data import shared_data

SCANS = shared_data("external", "scanned_official")


def test_a_real_resolution_in_the_file_is_kept() -> None:
    # An A4 at 300 dpi in pixels, but the file says 150: the file is believed.
    assert image_resolution(2481, 3508, 150.0, 300) == Resolution(150, DpiSource.METADATA)


@pytest.mark.parametrize("declared", [72.0, 71.9836, 96.0, None])
def test_a_placeholder_on_an_a4_scan_gives_way_to_the_paper_size(declared: float | None) -> None:
    assert image_resolution(1664, 2338, declared, 300) == Resolution(200, DpiSource.PAPER_SIZE,
                                                                     "A4")
    assert image_resolution(2338, 1664, declared, 300).dpi == 200  # landscape


def test_letter_and_legal_pages_are_recognised() -> None:
    assert paper_resolution(2550, 3300) == Resolution(300, DpiSource.PAPER_SIZE, "Letter")
    assert paper_resolution(2550, 4200) == Resolution(300, DpiSource.PAPER_SIZE, "Legal")


def test_a_genuinely_low_resolution_page_stays_low() -> None:
    # A4 at 72 dpi: the inferred 72 dpi is not a scanning resolution, the metadata stands.
    assert image_resolution(595, 842, 72.0, 300) == Resolution(72, DpiSource.METADATA)
    assert paper_resolution(595, 842) is None


def test_other_shapes_are_not_guessed() -> None:
    # A 4:3 phone photo is no paper format: no metadata means the default, said as assumed.
    assert image_resolution(4032, 3024, None, 300) == Resolution(300, DpiSource.ASSUMED)
    assert image_resolution(4032, 3024, 72.0, 300) == Resolution(72, DpiSource.METADATA)
    assert paper_resolution(1664, 2000) is None


def test_an_estimate_between_scanner_settings_is_not_snapped() -> None:
    assert image_resolution(2067, 2922, None, 300).dpi == 250  # 250 dpi: no scanner setting


def test_rasterized_png_carries_the_inferred_resolution() -> None:
    buffer = io.BytesIO()
    Image.new("L", (1654, 2339), 255).save(buffer, format="PNG", dpi=(72, 72))
    (page,) = rasterize(buffer.getvalue(), MediaType.PNG, 300, 10**9)
    assert (page.dpi, page.dpi_source) == (200, DpiSource.PAPER_SIZE)


def test_real_scans_are_not_flagged_for_resolution() -> None:
    scans = sorted(SCANS.glob("*.png"))
    assert len(scans) == 3, f"the three real scans of {SCANS}"
    for path in scans:
        (page,) = rasterize(path.read_bytes(), MediaType.PNG, 300, 10**9)
        analysis, _ = analyse_page(page)
        assert page.dpi == 200 and analysis.dpi_source == DpiSource.PAPER_SIZE, path.name
        assert "low_dpi" not in analysis.flag_codes, path.name
        assert analysis.as_json()["dpi_source"] == "paper_size"
