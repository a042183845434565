#!/usr/bin/env python3
"""png-colours.py: what a PNG screenshot shows, for tests/report/html.sh, with no module beyond
the standard library (zlib). Usage: png-colours.py FILE [RRGGBB...]

Prints "WIDTH HEIGHT DISTINCT" and then, for each colour asked for, "RRGGBB COUNT": how many pixels
have exactly that colour. Reads 8-bit greyscale, RGB, palette-less RGBA and grey+alpha images
without interlacing (what Chromium writes); exits with status 2 and one line on anything else.
"""
import struct
import sys
import zlib

CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}  # PNG colour type -> samples per pixel


def fail(msg):
    """Print msg on stderr and exit with status 2."""
    print("png-colours.py: " + msg, file=sys.stderr)
    sys.exit(2)


def chunks(data):
    """Yield (type, body) of each chunk after the signature."""
    pos = 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        yield kind, data[pos + 8:pos + 8 + length]
        pos += 12 + length


def paeth(a, b, c):
    """The Paeth predictor of PNG filter type 4."""
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def unfilter(raw, height, stride, bpp):
    """Return the rows of the image with the PNG filters undone."""
    rows, prev, pos = [], bytearray(stride), 0
    for _ in range(height):
        ftype, line = raw[pos], bytearray(raw[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 0xFF
            elif ftype == 2:
                line[i] = (line[i] + b) & 0xFF
            elif ftype == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 0xFF
            elif ftype == 4:
                line[i] = (line[i] + paeth(a, b, c)) & 0xFF
            elif ftype != 0:
                fail("unknown filter type %d" % ftype)
        rows.append(line)
        prev = line
    return rows


def main():
    """Decode the PNG named on the command line and print what it shows."""
    if len(sys.argv) < 2:
        fail("usage: png-colours.py FILE [RRGGBB...]")
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("not a PNG file")
    header, idat = None, b""
    for kind, body in chunks(data):
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
    if not header:
        fail("no IHDR chunk")
    width, height, depth, ctype, _, _, interlace = header
    if depth != 8 or ctype not in CHANNELS or interlace:
        fail("unsupported PNG (depth %d, colour type %d, interlace %d)" % (depth, ctype, interlace))
    bpp = CHANNELS[ctype]
    rows = unfilter(zlib.decompress(idat), height, width * bpp, bpp)
    counts = {}
    for line in rows:
        for x in range(0, width * bpp, bpp):
            px = bytes(line[x:x + 3]) if bpp >= 3 else bytes([line[x]] * 3)
            counts[px] = counts.get(px, 0) + 1
    print(width, height, len(counts))
    for want in sys.argv[2:]:
        print(want, counts.get(bytes.fromhex(want), 0))


if __name__ == "__main__":
    main()
