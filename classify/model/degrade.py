"""Make a clean rendered page look scanned (OpenCV/NumPy, deterministic per seed).

Two profiles: ``train`` (skew, blur, noise, low contrast, JPEG, bilevel, seals, received-document
stamps, signatures) and ``heldout``, which adds degradations the model never saw in training
(lid shadow, faded or bled ink, resolution loss, heavier salt-and-pepper, stronger skew).
"""

from __future__ import annotations

import random

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from classify.model.render import FONTS

PROFILES = ("train", "heldout")
SEAL_RED = (200, 30, 40)


def degrade(page: Image.Image, seed: int, profile: str, dpi: int) -> Image.Image:
    """A scanned-looking copy of ``page`` (grey or bilevel "L", or colour "RGB")."""
    if profile not in PROFILES:
        raise ValueError(f"unknown degradation profile {profile!r}")
    rng = random.Random(seed)
    page = page.copy()
    _marks(page, rng, dpi)
    image = np.asarray(page).astype(np.float32)
    colour = rng.random() < 0.25
    if not colour:
        image = image @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    heldout = profile == "heldout"
    image = _rotate(image, rng.uniform(-2.5, 2.5) if heldout else rng.uniform(-1.5, 1.5))
    if heldout:
        image = _heldout_only(image, rng)
    image = _photometric(image, rng)
    if not colour and rng.random() < (0.4 if heldout else 0.25):
        image = np.where(image > rng.uniform(120, 170), 255.0, 0.0)
    out = Image.fromarray(np.clip(image, 0, 255).astype(np.uint8))
    quality = rng.randrange(25, 55) if heldout else rng.randrange(40, 92)
    if rng.random() < 0.5:
        out = _jpeg(out, quality)
    return out


def _marks(page: Image.Image, rng: random.Random, dpi: int) -> None:
    draw = ImageDraw.Draw(page)
    w, h = page.size
    if rng.random() < 0.45:
        _seal(draw, rng, (round(w * rng.uniform(0.6, 0.75)), round(h * rng.uniform(0.55, 0.85))),
              round(dpi * rng.uniform(0.65, 0.8)), dpi)
    if rng.random() < 0.4:
        _signature(draw, rng, (round(w * 0.66), round(h * rng.uniform(0.6, 0.88))), dpi)
    if rng.random() < 0.15:
        _received_stamp(draw, rng, (round(w * rng.uniform(0.05, 0.2)), round(h * 0.2)), dpi)


def _font(dpi: int, size_pt: float, bold: bool = True) -> ImageFont.FreeTypeFont:
    path = FONTS["liberation_sans"][1 if bold else 0]
    return ImageFont.truetype(str(path), max(6, round(size_pt * dpi / 72)))


def _seal(draw: ImageDraw.ImageDraw, rng: random.Random, centre: tuple[int, int], radius: int,
          dpi: int) -> None:
    x, y = centre
    colour = SEAL_RED if rng.random() < 0.8 else (40, 40, 160)
    width = max(2, dpi // 50)
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), outline=colour, width=width)
    inner = round(radius * 0.72)
    draw.ellipse((x - inner, y - inner, x + inner, y + inner), outline=colour, width=width // 2 + 1)
    star = [(x + inner * 0.45 * np.cos(a) * (1 if i % 2 == 0 else 0.4),
             y + inner * 0.45 * np.sin(a) * (1 if i % 2 == 0 else 0.4))
            for i, a in enumerate(np.linspace(-np.pi / 2, 1.5 * np.pi, 11)[:-1])]
    draw.polygon(star, fill=colour)
    font = _font(dpi, 6)
    for i, ch in enumerate("ỦY BAN NHÂN DÂN * " * 2):
        angle = np.pi + i * (2 * np.pi / 36)
        cx = x + (radius + inner) / 2 * np.cos(angle)
        cy = y + (radius + inner) / 2 * np.sin(angle)
        draw.text((cx, cy), ch, font=font, fill=colour, anchor="mm")


def _signature(draw: ImageDraw.ImageDraw, rng: random.Random, origin: tuple[int, int],
               dpi: int) -> None:
    x, y = origin
    points = [(x + rng.randrange(-dpi // 2, dpi // 2), y + rng.randrange(-dpi // 6, dpi // 6))
              for _ in range(rng.randrange(6, 12))]
    colour = (20, 30, 120) if rng.random() < 0.6 else (10, 10, 10)
    draw.line(points, fill=colour, width=max(2, dpi // 70), joint="curve")


def _received_stamp(draw: ImageDraw.ImageDraw, rng: random.Random, origin: tuple[int, int],
                    dpi: int) -> None:
    """The rectangular "CÔNG VĂN ĐẾN" stamp of an incoming-document register."""
    x, y = origin
    w, h = round(1.9 * dpi), round(0.9 * dpi)
    colour = (30, 40, 150) if rng.random() < 0.5 else (60, 60, 60)
    draw.rectangle((x, y, x + w, y + h), outline=colour, width=max(2, dpi // 70))
    font, small = _font(dpi, 9), _font(dpi, 8, bold=False)
    draw.text((x + w // 2, y + dpi // 12), "CÔNG VĂN ĐẾN", font=font, fill=colour, anchor="ma")
    for index, label in enumerate(("Số:", "Ngày:", "Chuyển:")):
        draw.text((x + dpi // 12, y + round((0.35 + 0.18 * index) * dpi)), label, font=small,
                  fill=colour)
    draw.text((x + round(0.6 * dpi), y + round(0.3 * dpi)), str(rng.randrange(1, 9999)),
              font=small, fill=(20, 20, 120))


def _rotate(image: np.ndarray, degrees: float) -> np.ndarray:
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    border = (255.0, 255.0, 255.0) if image.ndim == 3 else 255.0
    return cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=border)


def _photometric(image: np.ndarray, rng: random.Random) -> np.ndarray:
    sigma = rng.uniform(0.0, 1.0)
    if sigma > 0.3:
        image = cv2.GaussianBlur(image, (0, 0), sigma)
    alpha = rng.uniform(0.65, 1.0)
    image = image * alpha + rng.uniform(0, 255 * (1 - alpha))
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, rng.uniform(0, 10),
                                                               image.shape)
    image = image + noise.astype(np.float32)
    if rng.random() < 0.3:
        image = _speckles(image, rng, 0.0005)
    return image


def _heldout_only(image: np.ndarray, rng: random.Random) -> np.ndarray:
    kind = rng.randrange(4)
    h, w = image.shape[:2]
    if kind == 0:  # scanner lid shadow along one edge
        ramp = np.clip(np.linspace(-1.0, 1.0, w) * rng.uniform(2, 5), 0, 1).astype(np.float32)
        shade = 1 - 0.45 * ramp if rng.random() < 0.5 else 1 - 0.45 * ramp[::-1]
        image = image * (shade[None, :, None] if image.ndim == 3 else shade[None, :])
    elif kind == 1:  # faded or bled ink
        kernel = np.ones((2, 2), np.uint8)
        op = cv2.dilate if rng.random() < 0.5 else cv2.erode
        image = op(image, kernel).astype(np.float32)
    elif kind == 2:  # resolution loss: scanned low, upsampled
        factor = rng.uniform(0.55, 0.75)
        small = cv2.resize(image, (round(w * factor), round(h * factor)),
                           interpolation=cv2.INTER_AREA)
        image = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    else:
        image = _speckles(image, rng, 0.002)
    return image


def _speckles(image: np.ndarray, rng: random.Random, density: float) -> np.ndarray:
    generator = np.random.default_rng(rng.randrange(2**32))
    mask = generator.random(image.shape[:2]) < density
    image = image.copy()
    image[mask] = 0.0
    return image


def _jpeg(image: Image.Image, quality: int) -> Image.Image:
    ok, encoded = cv2.imencode(".jpg", np.asarray(image), [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        return image
    flags = cv2.IMREAD_GRAYSCALE if image.mode == "L" else cv2.IMREAD_COLOR
    decoded = cv2.imdecode(encoded, flags)
    # Channels go in and come out in the same order, so RGB stays RGB.
    return image if decoded is None else Image.fromarray(decoded)
