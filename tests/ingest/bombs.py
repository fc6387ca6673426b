"""Hostile documents built on the fly (no binaries in the repository): decompression bombs and
files that are small on disk but expensive to parse."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import docx

MB = 1 << 20


def zlib_zeros(inflated_mb: int, byte: bytes = b" ") -> bytes:
    """A zlib stream of `inflated_mb` MB of one byte, built from one self-contained deflate block
    repeated (so building a 400 MB bomb costs milliseconds, not seconds of compression)."""
    chunk = byte * MB
    comp = zlib.compressobj(9)
    first = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)  # starts with the zlib header
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)  # needs no earlier window
    end = comp.flush()[:-4]  # the final empty block, without the checksum of just two chunks
    adler = 1
    for _ in range(inflated_mb):
        adler = zlib.adler32(chunk, adler)
    return first + block * (inflated_mb - 1) + end + struct.pack(">I", adler)


def pdf_bomb(inflated_mb: int = 400) -> bytes:
    """A one-page PDF whose content stream inflates to `inflated_mb` MB."""
    body = zlib_zeros(inflated_mb)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def _docx_with(replace: dict[str, bytes] | None = None, extra_mb: int = 0) -> bytes:
    document = docx.Document()
    document.add_paragraph("Kommunens miljöplan.")
    plain = io.BytesIO()
    document.save(plain)
    out = io.BytesIO()
    deflated = {"compression": zipfile.ZIP_DEFLATED, "compresslevel": 1}
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as src, zipfile.ZipFile(out, "w", **deflated) as dst:
        for item in src.infolist():
            dst.writestr(item, (replace or {}).get(item.filename, src.read(item.filename)))
        if extra_mb:
            with dst.open("word/media/image1.bin", "w", force_zip64=True) as member:
                for _ in range(extra_mb):
                    member.write(b"\0" * MB)
    return out.getvalue()


def docx_paragraphs(count: int = 100_000) -> bytes:
    """A DOCX of `count` paragraphs: about 13 KB on disk."""
    with zipfile.ZipFile(io.BytesIO(_docx_with())) as src:
        xml = src.read("word/document.xml")
    paragraph = b"<w:p><w:r><w:t>Miljo.</w:t></w:r></w:p>"
    head, sep, tail = xml.partition(b"<w:sectPr")
    return _docx_with({"word/document.xml": head + paragraph * count + sep + tail})


def docx_zip_bomb(inflated_mb: int = 300) -> bytes:
    return _docx_with(extra_mb=inflated_mb)


def deep_html(depth: int = 5000) -> bytes:
    return b"<html><body>" + b"<div>" * depth + b"Djup text." + b"</div>" * depth + b"</body></html>"
