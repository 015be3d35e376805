"""Scan degradations with fixed seeds, shared by the quality benchmarks and tests.

Each profile is a short list of steps applied to an RGB page (or line) image: skew, blur, grain,
JPEG artefacts, low contrast, bleed-through from the back of the sheet, stamps, an uneven
scanner light. The random parts (sign of the skew, grain, stamp places) come from a NumPy
generator seeded by :func:`seed_for`, so the same image and profile always give the same pixels.

OpenCV and NumPy only. augraphy was tried: it runs offline, but it requires ``opencv-python``,
whose current wheel is OpenCV 5 and replaces the project's pinned ``opencv-python-headless`` 4
(DESIGN.md: pin OpenCV's major version), and it pulls numba, scikit-image and matplotlib.

    .venv/bin/python -m bench.degrade IMAGE PROFILE OUT.png   # look at one result
"""

from __future__ import annotations

import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFont

Pixels = NDArray[Any]  # H×W×3 uint8, RGB
Step = Callable[[Pixels, np.random.Generator, int], Pixels]
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
REFERENCE_DPI = 200  # strengths below are set for 200 dpi and scaled to the image's dpi


def _scale(dpi: int) -> float:
    return dpi / REFERENCE_DPI


def skew(degrees: float) -> Step:
    """Rotate by ``degrees`` (random sign) about the centre, white corners, same size."""
    def step(px: Pixels, rng: np.random.Generator, dpi: int) -> Pixels:
        angle = degrees if rng.random() < 0.5 else -degrees
        height, width = px.shape[:2]
        matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
        return cv2.warpAffine(px, matrix, (width, height), flags=cv2.INTER_CUBIC,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=(255, 255, 255))
    return step


def blur(sigma: float) -> Step:
    """Gaussian defocus; ``sigma`` in pixels at 200 dpi."""
    def step(px: Pixels, rng: np.random.Generator, dpi: int) -> Pixels:
        return cv2.GaussianBlur(px, (0, 0), sigma * _scale(dpi))
    return step


def grain(sigma: float, specks: float = 0.0) -> Step:
    """Grey-level sensor noise (σ in grey levels) plus dark specks per megapixel."""
    def step(px: Pixels, rng: np.random.Generator, dpi: int) -> Pixels:
        height, width = px.shape[:2]
        noise = rng.normal(0.0, sigma, (height, width, 1)).astype(np.float32)
        out = np.clip(px.astype(np.float32) + noise, 0, 255).astype(np.uint8)
        for _ in range(int(specks * height * width / 1e6)):
            centre = (int(rng.integers(0, width)), int(rng.integers(0, height)))
            cv2.circle(out, centre, int(rng.integers(1, 3)), (40, 40, 40), -1)
        return out
    return step


def jpeg(quality: int) -> Step:
    """Encode and decode as JPEG at ``quality`` (blocking and ringing around letters)."""
    def step(px: Pixels, rng: np.random.Generator, dpi: int) -> Pixels:
        ok, data = cv2.imencode(".jpg", px[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, quality])
        if not ok:
            raise RuntimeError("JPEG encoding failed")
        decoded: Pixels | None = cv2.imdecode(data, cv2.IMREAD_COLOR)
        if decoded is None:
            raise RuntimeError("JPEG decoding failed")
        return decoded[:, :, ::-1].copy()
    return step


def low_contrast(ink: float, paper: int) -> Step:
    """Ink at ``ink`` of its strength on paper of grey level ``paper`` (a faint copy)."""
    def step(px: Pixels, rng: np.random.Generator, dpi: int) -> Pixels:
        darkness = (255.0 - px.astype(np.float32)) / 255.0
        return np.clip(paper - darkness * paper * ink, 0, 255).astype(np.uint8)
    return step


def bleed_through(strength: float) -> Step:
    """The back of the sheet showing through: the page mirrored, shifted, soft, faint."""
    def step(px: Pixels, rng: np.random.Generator, dpi: int) -> Pixels:
        shift = (int(rng.integers(-40, 40) * _scale(dpi)), int(rng.integers(-60, 60) * _scale(dpi)))
        mirrored = np.roll(px[:, ::-1].astype(np.float32), shift, axis=(0, 1))
        back: Pixels = cv2.GaussianBlur(mirrored, (0, 0), 1.5 * _scale(dpi))
        shade = 1.0 - strength * (1.0 - back / 255.0)
        return np.clip(px.astype(np.float32) * shade, 0, 255).astype(np.uint8)
    return step


def shadow(depth: float) -> Step:
    """Uneven scanner light: the paper darkens by up to ``depth`` (0–1) towards one corner."""
    def step(px: Pixels, rng: np.random.Generator, dpi: int) -> Pixels:
        height, width = px.shape[:2]
        yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
        cx, cy = rng.uniform(0, width), rng.uniform(0, height)
        distance = np.hypot(xx - cx, yy - cy) / np.hypot(width, height)
        light = (1.0 - depth * distance)[:, :, None]
        return np.clip(px.astype(np.float32) * light, 0, 255).astype(np.uint8)
    return step


def _stamp_layer(size: tuple[int, int], rng: np.random.Generator, dpi: int) -> Image.Image:
    """A red round seal and a blue "CÔNG VĂN ĐẾN" box on a white layer of ``size``."""
    layer = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(layer)
    unit = _scale(dpi)
    font = ImageFont.truetype(str(FONT), max(8, round(20 * unit)))
    width, height = size
    radius = round(min(120 * unit, 0.45 * min(width, height)))
    cx = int(rng.integers(radius, max(radius + 1, width - radius)))
    cy = int(rng.integers(radius, max(radius + 1, height - radius)))
    red = (200, 30, 40)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=red,
                 width=max(2, round(5 * unit)))
    inner = round(radius * 0.7)
    draw.ellipse((cx - inner, cy - inner, cx + inner, cy + inner), outline=red, width=2)
    draw.text((cx, cy), "★ ỦY BAN NHÂN DÂN ★", font=font, fill=red, anchor="mm")
    box_w, box_h = round(360 * unit), round(110 * unit)
    bx = int(rng.integers(0, max(1, width - box_w)))
    by = int(rng.integers(0, max(1, height - box_h)))
    blue = (30, 50, 170)
    draw.rectangle((bx, by, bx + box_w, by + box_h), outline=blue, width=max(2, round(3 * unit)))
    draw.text((bx + box_w // 2, by + box_h // 3), "CÔNG VĂN ĐẾN", font=font, fill=blue,
              anchor="mm")
    draw.text((bx + box_w // 2, by + 2 * box_h // 3), f"Số: {int(rng.integers(100, 999))}",
              font=font, fill=blue, anchor="mm")
    return layer


def stamps(opacity: float) -> Step:
    """Ink stamps printed over the text (multiplied, as ink on ink)."""
    def step(px: Pixels, rng: np.random.Generator, dpi: int) -> Pixels:
        layer = np.asarray(_stamp_layer((px.shape[1], px.shape[0]), rng, dpi), np.float32)
        tint = 1.0 - opacity * (1.0 - layer / 255.0)
        return np.clip(px.astype(np.float32) * tint, 0, 255).astype(np.uint8)
    return step


PROFILES: dict[str, tuple[Step, ...]] = {
    "clean": (),
    "skew": (skew(2.5),),
    "blur": (blur(1.3),),
    "noise": (grain(28.0, specks=40.0),),
    "jpeg": (jpeg(12),),
    "low_contrast": (low_contrast(0.35, 225),),
    "bleed_through": (bleed_through(0.45),),
    "stamps": (stamps(0.75),),
    "scan_mild": (skew(0.8), blur(0.7), grain(10.0), jpeg(45)),
    "scan_heavy": (shadow(0.45), low_contrast(0.55, 235), bleed_through(0.3), stamps(0.6),
                   skew(2.0), blur(1.0), grain(18.0, specks=20.0), jpeg(30)),
}
DEGRADED = tuple(name for name in PROFILES if name != "clean")


def seed_for(name: str, profile: str) -> int:
    """The fixed seed of one image under one profile (stable across runs and orderings)."""
    return zlib.crc32(f"{name}|{profile}".encode())


def degrade_pixels(pixels: Pixels, profile: str, seed: int, dpi: int) -> Pixels:
    rng = np.random.default_rng(seed)
    out = np.ascontiguousarray(pixels)
    for step in PROFILES[profile]:
        out = step(out, rng, dpi)
    return out


def degrade(image: Image.Image, profile: str, seed: int, dpi: int = REFERENCE_DPI) -> Image.Image:
    """Return ``image`` (any mode) degraded by ``profile`` as RGB, reproducibly for ``seed``."""
    if profile == "clean":
        return image
    pixels = np.asarray(image.convert("RGB"))
    return Image.fromarray(degrade_pixels(pixels, profile, seed, dpi))


def pad(image: Image.Image, border: int) -> Image.Image:
    """A white margin around a line crop, so skew and stamps do not cut the letters."""
    canvas = Image.new("RGB", (image.width + 2 * border, image.height + 2 * border), "white")
    canvas.paste(image.convert("RGB"), (border, border))
    return canvas


def main() -> None:
    source, profile, out = sys.argv[1:4]
    with Image.open(source) as image:
        dpi = round(float(image.info.get("dpi", (REFERENCE_DPI,))[0]))
        degrade(image, profile, seed_for(Path(source).name, profile), dpi).save(out)


if __name__ == "__main__":
    main()
