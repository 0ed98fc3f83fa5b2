#!/usr/bin/env python3
"""Checks that screenshots are not blank, with nothing but the standard library.

    png-check.py [--min-colours N] FILE.png...     each must have at least N distinct colours
    png-check.py --crop TOP HEIGHT IN.png OUT.png   writes rows TOP..TOP+HEIGHT of IN to OUT

Reads 8-bit RGB and RGBA PNGs without interlacing (what Chromium writes). A blank page, or
one that failed to render, has one or two colours; a report has hundreds (text is
anti-aliased). Exit 1 names the files that fail.
"""
import struct
import sys
import zlib


def read_png(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError(f"{path}: only 8-bit RGB or RGBA without interlacing is read")
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def write_png(path, width, bpp, rows):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, len(rows), 8, 2 if bpp == 3 else 6, 0, 0, 0)
    body = zlib.compress(b"".join(b"\x00" + r for r in rows), 9)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b""))


def colours(path):
    width, height, bpp, rows = read_png(path)
    seen = set()
    for row in rows:
        for x in range(0, len(row), bpp):
            seen.add(row[x:x + bpp])
    return len(seen)


def main(argv):
    if argv[:1] == ["--crop"]:
        top, height, src, dst = int(argv[1]), int(argv[2]), argv[3], argv[4]
        width, _, bpp, rows = read_png(src)
        write_png(dst, width, bpp, rows[top:top + height])
        return 0
    minimum = 64
    if argv[:1] == ["--min-colours"]:
        minimum, argv = int(argv[1]), argv[2:]
    failed = []
    for path in argv:
        n = colours(path)
        print(f"{path}: {n} distinct colours")
        if n < minimum:
            failed.append(path)
    if failed:
        print("blank or nearly blank (fewer than %d colours): %s" % (minimum, ", ".join(failed)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
