"""Draw the application icon: resources/icons/commandcenter.png and commandcenter.ico.

A blue tile with a white map pin, an amber alert dot in its head and two signal waves: the
hall's work in one picture (signals arrive, are placed on the map, get attention). Drawn with
QPainter at every size rather than scaled down, so the 16 px icon stays crisp (no waves there).

Run from the repository root when the design changes, and commit both files:
    QT_QPA_PLATFORM=offscreen .venv/bin/python installer/make_icon.py
"""

from __future__ import annotations

import math
import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "icons"
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 256)  # Windows picks per DPI and view
PNG_SIZE = 256
TOP, BOTTOM = QColor("#1f5fa8"), QColor("#0f3563")
ALERT = QColor("#ffb300")


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 256, size / 256)  # design on a 256 grid
    small = size <= 24

    # Tile: rounded square, vertical gradient.
    margin = 6 if small else 10
    tile = QRectF(margin, margin, 256 - 2 * margin, 256 - 2 * margin)
    gradient = QLinearGradient(0, tile.top(), 0, tile.bottom())
    gradient.setColorAt(0, TOP)
    gradient.setColorAt(1, BOTTOM)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(gradient))
    p.drawRoundedRect(tile, 52, 52)

    # Pin: a circle and the two tangents to its tip, as one shape.
    cx, cy = 128.0, 112.0 if not small else 106.0
    r = 50.0 if not small else 66.0
    tip_y = 212.0 if not small else 228.0
    d = tip_y - cy
    phi = math.acos(r / d)
    head = QPainterPath()
    head.addEllipse(QPointF(cx, cy), r, r)
    cone = QPainterPath()
    cone.moveTo(cx, tip_y)
    cone.lineTo(cx - r * math.sin(phi), cy + r * math.cos(phi))
    cone.lineTo(cx + r * math.sin(phi), cy + r * math.cos(phi))
    cone.closeSubpath()
    pin = head.united(cone)
    hole = QPainterPath()
    hole.addEllipse(QPointF(cx, cy), r * 0.42, r * 0.42)
    p.setBrush(QColor("white"))
    p.drawPath(pin.subtracted(hole))
    p.setBrush(ALERT)
    p.drawEllipse(QPointF(cx, cy), r * 0.34, r * 0.34)

    # Signal waves left and right of the head (too fine to read below 32 px).
    if not small:
        pen = QPen(QColor(255, 255, 255, 215), 13 if size >= 48 else 16)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        for radius in (r + 26, r + 52):
            box = QRectF(cx - radius, cy - radius, 2 * radius, 2 * radius)
            span = 56 if radius < r + 40 else 48
            p.drawArc(box, int((0 - span / 2) * 16), int(span * 16))
            p.drawArc(box, int((180 - span / 2) * 16), int(span * 16))
    p.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def dib_bytes(image: QImage) -> bytes:
    """A 32-bit BMP entry (header, BGRA rows bottom-up, AND mask): readable by every Windows
    version and by the resource tools that embed the icon in the .exe."""
    w, h = image.width(), image.height()
    argb = image.convertToFormat(QImage.Format.Format_ARGB32)  # little endian: B, G, R, A
    stride = argb.bytesPerLine()
    raw = bytes(argb.constBits())
    rows = [raw[y * stride:y * stride + w * 4] for y in range(h)]
    xor = b"".join(reversed(rows))
    mask_stride = ((w + 31) // 32) * 4
    mask_rows = []
    for row in reversed(rows):
        bits = bytearray(mask_stride)
        for x in range(w):
            if row[x * 4 + 3] == 0:
                bits[x // 8] |= 0x80 >> (x % 8)
        mask_rows.append(bytes(bits))
    and_mask = b"".join(mask_rows)
    header = struct.pack("<IiiHHIIiiII", 40, w, 2 * h, 1, 32, 0, len(xor) + len(and_mask),
                         0, 0, 0, 0)
    return header + xor + and_mask


def ico_bytes(images: list[QImage]) -> bytes:
    """An .ico holding every size: BMP entries, PNG for 256 px (as Windows itself does)."""
    entries = [png_bytes(im) if im.width() >= 256 else dib_bytes(im) for im in images]
    out = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    for image, data in zip(images, entries, strict=True):
        side = image.width() % 256  # 0 means 256
        out += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return out + b"".join(entries)


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "commandcenter.png").write_bytes(png_bytes(draw(PNG_SIZE)))
    (OUT / "commandcenter.ico").write_bytes(ico_bytes([draw(s) for s in ICO_SIZES]))
    del app
    for name in ("commandcenter.png", "commandcenter.ico"):
        print(OUT / name, (OUT / name).stat().st_size, "bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
