"""Draw the app's icons as PNG files with the standard library only (zlib + struct), so no imaging package is needed.

    .venv/bin/python web/tools/make_icons.py

writes web/static/web/icons/: icon-192.png and icon-512.png (rounded square, transparent corners, for "any"),
icon-maskable-512.png (full bleed, the drawing inside the central safe circle of 80% as maskable icons require) and
apple-touch-icon.png (180 px, full bleed: iOS rounds the corners itself). The drawing is a column of four vertebrae,
white on the app's teal. The output is deterministic; the generated files are committed.
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "static" / "web" / "icons"
TEAL = (0x0B, 0x4F, 0x6C)
WHITE = (0xFF, 0xFF, 0xFF)
SAMPLES = 4  # per axis, for anti-aliased edges


def _png(width: int, height: int, rgba_rows: list[bytes]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + row for row in rgba_rows)  # filter type 0 (None) on every row
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA, no interlace
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def _in_rounded_rect(x: float, y: float, left: float, top: float, right: float, bottom: float, r: float) -> bool:
    if not (left <= x <= right and top <= y <= bottom):
        return False
    cx = min(max(x, left + r), right - r)
    cy = min(max(y, top + r), bottom - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def _vertebrae(scale: float) -> list[tuple[float, float, float, float, float]]:
    """Four rounded bars in unit coordinates (0..1), centred, the middle ones a little wider, on a thin column."""
    heights, gap = 0.105 * scale, 0.045 * scale
    widths = (0.30, 0.38, 0.38, 0.30)
    total = 4 * heights + 3 * gap
    top = 0.5 - total / 2
    bars = []
    for width in widths:
        w = width * scale
        bars.append((0.5 - w / 2, top, 0.5 + w / 2, top + heights, heights * 0.42))
        top += heights + gap
    # The spinal column joining them, reaching a little beyond the first and the last.
    spine = 0.05 * scale
    bars.append((0.5 - spine / 2, 0.5 - total / 2 - gap, 0.5 + spine / 2, 0.5 + total / 2 + gap, spine / 2))
    return bars


def draw(size: int, *, full_bleed: bool, scale: float) -> bytes:
    bars = _vertebrae(scale)
    corner = 0.0 if full_bleed else 0.2
    rows = []
    n = SAMPLES * SAMPLES
    for py in range(size):
        row = bytearray()
        for px in range(size):
            background = foreground = 0
            for sy in range(SAMPLES):
                y = (py + (sy + 0.5) / SAMPLES) / size
                for sx in range(SAMPLES):
                    x = (px + (sx + 0.5) / SAMPLES) / size
                    if full_bleed or _in_rounded_rect(x, y, 0, 0, 1, 1, corner):
                        background += 1
                        if any(_in_rounded_rect(x, y, *bar) for bar in bars):
                            foreground += 1
            if background == 0:
                row += b"\x00\x00\x00\x00"
                continue
            share = foreground / background
            colour = [round(t + (w - t) * share) for t, w in zip(TEAL, WHITE, strict=True)]
            row += bytes([*colour, round(255 * background / n)])
        rows.append(bytes(row))
    return _png(size, size, rows)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    targets = {
        "icon-192.png": draw(192, full_bleed=False, scale=1.0),
        "icon-512.png": draw(512, full_bleed=False, scale=1.0),
        "icon-maskable-512.png": draw(512, full_bleed=True, scale=0.8),
        "apple-touch-icon.png": draw(180, full_bleed=True, scale=0.9),
    }
    for name, data in targets.items():
        (OUT / name).write_bytes(data)
        print(f"wrote {OUT / name} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
