"""Synthetic "photos" and the edits a stolen profile photo goes through, for the photo tests.

A photo here is a textured gradient with random shapes and a few lines of text, so it has the
mid-frequency structure a real picture has. Everything is drawn with Pillow from a seed.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter


def synth_photo(seed: int, size: tuple[int, int] = (480, 600)) -> Image.Image:
    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    w, h = size
    c1 = np.array([rng.randint(0, 255) for _ in range(3)], np.float32)
    c2 = np.array([rng.randint(0, 255) for _ in range(3)], np.float32)
    angle = rng.random() * np.pi
    yy, xx = np.mgrid[0:h, 0:w]
    t = xx * np.cos(angle) + yy * np.sin(angle)
    t = (t - t.min()) / (t.max() - t.min())
    pixels = c1 * (1 - t[..., None]) + c2 * t[..., None] + noise.normal(0, 12, (h, w, 1))
    img = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randint(15, 30)):
        x0, y0 = rng.randint(-50, w), rng.randint(-50, h)
        x1, y1 = x0 + rng.randint(20, 220), y0 + rng.randint(20, 220)
        colour = tuple(rng.randint(0, 255) for _ in range(3))
        k = rng.random()
        if k < 0.4:
            draw.ellipse([x0, y0, x1, y1], fill=colour)
        elif k < 0.75:
            draw.rectangle([x0, y0, x1, y1], fill=colour)
        else:
            draw.polygon(
                [(x0, y0), (x1, y0 + rng.randint(0, 100)), (x0 + rng.randint(0, 100), y1)],
                fill=colour,
            )
    for _ in range(3):
        draw.text((rng.randint(0, w - 100), rng.randint(0, h - 20)), f"photo {seed}", fill="white")
    return img.filter(ImageFilter.GaussianBlur(1.5))


def encode(img: Image.Image, fmt: str = "PNG", quality: int = 90) -> bytes:
    buf = io.BytesIO()
    rgb = img.convert("RGB")
    if fmt == "JPEG":
        rgb.save(buf, "JPEG", quality=quality)
    else:
        rgb.save(buf, fmt)
    return buf.getvalue()


def reencode_jpeg(img: Image.Image, quality: int = 40) -> Image.Image:
    return Image.open(io.BytesIO(encode(img, "JPEG", quality)))


def resize(img: Image.Image, scale: float = 0.5) -> Image.Image:
    w, h = img.size
    return img.resize((int(w * scale), int(h * scale)))


def crop(img: Image.Image, frac: float = 0.10, side: str = "center") -> Image.Image:
    w, h = img.size
    dx, dy = int(w * frac), int(h * frac)
    boxes = {
        "center": (dx // 2, dy // 2, w - dx // 2, h - dy // 2),
        "right": (0, 0, w - dx, h),
        "bottom": (0, 0, w, h - dy),
        "corner": (0, 0, w - dx, h - dy),
    }
    return img.crop(boxes[side])


def brightness(img: Image.Image, factor: float = 1.3) -> Image.Image:
    return ImageEnhance.Brightness(img).enhance(factor)


def watermark(img: Image.Image) -> Image.Image:
    out = img.copy()
    draw = ImageDraw.Draw(out)
    w, h = out.size
    bw, bh = int(w * 0.15), int(h * 0.04)
    draw.rectangle([w - bw - 5, h - bh - 5, w - 5, h - 5], fill=(255, 255, 255))
    draw.text((w - bw, h - bh - 3), "@date.me", fill=(0, 0, 0))
    return out


TRANSFORMS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "resize-50%": lambda i: resize(i, 0.5),
    "resize-33%": lambda i: resize(i, 0.33),
    "crop-10%-center": lambda i: crop(i, 0.10, "center"),
    "crop-10%-right": lambda i: crop(i, 0.10, "right"),
    "crop-8%-bottom": lambda i: crop(i, 0.08, "bottom"),
    "crop-12%-corner": lambda i: crop(i, 0.12, "corner"),
    "jpeg-q40": lambda i: reencode_jpeg(i, 40),
    "brighter": lambda i: brightness(i, 1.3),
    "darker": lambda i: brightness(i, 0.75),
    "watermark": watermark,
    "all-together": lambda i: watermark(brightness(reencode_jpeg(resize(crop(i, 0.1), 0.6)), 1.2)),
}
