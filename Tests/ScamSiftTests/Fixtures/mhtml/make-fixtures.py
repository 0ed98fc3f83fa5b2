#!/usr/bin/env python3
"""Writes the MHTML and non-HTML fixtures of InputTests.swift from the pages in this folder.

Every page text here was written for ScamSift. The archives follow what Chrome writes for
"Save page as… Webpage, single file" (headers, a folded Content-Type, quoted-printable lines of
at most 76 characters broken with "=" wherever the limit falls, even inside a UTF-8 character),
so the tests read what users will give the tool. Run it again after changing a page:

    python3 Tests/ScamSiftTests/Fixtures/mhtml/make-fixtures.py
"""
import base64
import os
import struct
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
BOUNDARY = "----MultipartBoundary--Qx7Lm2Rt9Vb4Nc8Hs1Jd6Kf3----"
SITE = "https://shapla-invest.example"


def qp(data: bytes, eol: bytes = b"\r\n") -> bytes:
    """Quoted-printable as Chrome writes it: every non-ASCII byte and "=" as =XX, soft breaks at 76."""
    out, line = [], b""
    for raw_line in data.split(b"\n"):
        for byte in raw_line:
            token = bytes([byte]) if 0x20 <= byte < 0x7F and byte != 0x3D else b"=%02X" % byte
            if len(line) + len(token) > 75:
                out.append(line + b"=")
                line = b""
            line += token
        out.append(line)
        line = b""
    return eol.join(out)


def b64(data: bytes, eol: bytes = b"\r\n") -> bytes:
    text = base64.b64encode(data)
    return eol.join(text[i:i + 76] for i in range(0, len(text), 76))


def part(content_type: str, encoding: str, location: str, body: bytes, eol: bytes = b"\r\n") -> bytes:
    head = f"Content-Type: {content_type}\nContent-Transfer-Encoding: {encoding}\nContent-Location: {location}\n\n"
    return head.replace("\n", "\r\n").encode().replace(b"\r\n", eol) + body + eol


def archive(parts: list, eol: bytes = b"\r\n", location: str = SITE + "/plans", closed: bool = True,
            content_type: str = None) -> bytes:
    content_type = content_type or f'multipart/related;\n\ttype="text/html";\n\tboundary="{BOUNDARY}"'
    head = ("From: <Saved by Blink>\n"
            f"Snapshot-Content-Location: {location}\n"
            "Subject: =?utf-8?Q?=E0=A6=B6=E0=A6=BE=E0=A6=AA=E0=A6=B2=E0=A6=BE?=\n"
            "Date: Mon, 1 Dec 2025 10:00:00 +0600\n"
            "MIME-Version: 1.0\n"
            f"Content-Type: {content_type}\n\n").replace("\n", "\r\n").encode().replace(b"\r\n", eol)
    delimiter = b"--" + BOUNDARY.encode()
    body = b"".join(delimiter + eol + p for p in parts)
    return head + body + (delimiter + b"--" + eol if closed else b"")


def write(name: str, data: bytes) -> None:
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def png_1x1() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x1f\x6a\x3c")) + chunk(b"IEND", b""))


def main() -> None:
    page = open(os.path.join(HERE, "bn-shapla.html"), "rb").read()
    css = b"body { font-family: 'Hind Siliguri', sans-serif; }\nh1 { color: #0a6; }\n"
    script = b"document.querySelectorAll('.plan').forEach(function (p) { p.classList.add('ready'); });\n"
    rest = [
        part("text/css", "quoted-printable", SITE + "/static/site.css", qp(css)),
        part("application/javascript", "quoted-printable", SITE + "/static/app.js", qp(script)),
        part("image/png", "base64", SITE + "/img/logo.png", b64(png_1x1())),
    ]
    quoted = archive([part("text/html", "quoted-printable", SITE + "/plans", qp(page))] + rest)
    write("bn-shapla-qp.mhtml", quoted)

    # The same page with a base64 HTML part, in a file with bare LF line ends.
    lf = b"\n"
    write("bn-shapla-base64.mhtml", archive(
        [part("text/html", "base64", SITE + "/plans", b64(page, lf), lf),
         part("image/png", "base64", SITE + "/img/logo.png", b64(png_1x1(), lf), lf)], eol=lf))

    # Cut inside the image part: the HTML part before it is whole.
    write("bn-shapla-truncated.mhtml", quoted[:quoted.index(b"iVBORw0KGgo") + 20])

    # A French page in windows-1252 ("€" is 0x80 there, not in ISO-8859-1), with no <meta charset>.
    french = open(os.path.join(HERE, "fr-placement.html"), "rb").read().decode("utf-8").encode("windows-1252")
    write("fr-placement-1252.mhtml", archive(
        [part('text/html; charset="windows-1252"', "quoted-printable", "https://rendement-or.example/offres", qp(french))],
        location="https://rendement-or.example/offres"))

    # A Content-Type folded over three lines, the boundary alone on the last one and not quoted.
    small = "<html><head><title>Plié</title></head><body><p>Bonjour</p></body></html>".encode()
    write("folded-content-type.mhtml", archive(
        [part("text/html; charset=utf-8", "8bit", SITE + "/folded", small)],
        content_type=f"multipart/related;\n type=\"text/html\";\n    boundary={BOUNDARY}"))

    write("bad-transfer-encoding.mhtml", archive([part("text/html", "x-uuencode", SITE + "/plans", page)]))
    broken = bytearray(b64(page))
    broken[100] = ord("!")
    write("bad-base64.mhtml", archive([part("text/html", "base64", SITE + "/plans", bytes(broken))]))
    write("boundary-never-appears.mhtml",
          archive([part("text/html", "8bit", SITE + "/plans", page)]).replace(b"--" + BOUNDARY.encode(), b"--SomethingElse"))

    # Files that are not web pages, each with its real first bytes.
    write("statement.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
          b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    write("logo.png", png_1x1())
    zipped = os.path.join(HERE, "site.zip")
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr(zipfile.ZipInfo("index.html", date_time=(2025, 12, 1, 10, 0, 0)), page)


main()
