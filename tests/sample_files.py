"""Sample files for upload tests, made in memory: real PDFs, images and office documents, and
the bad files an upload must refuse."""

import io
import zipfile

import pypdfium2
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def pdf_bytes(pages: int = 1) -> bytes:
    """A real PDF (PDFium writes it) with `pages` blank A4 pages."""
    pdf = pypdfium2.PdfDocument.new()
    for _ in range(pages):
        pdf.new_page(595, 842)
    out = io.BytesIO()
    pdf.save(out)
    pdf.close()
    return out.getvalue()


def image_bytes(format: str = "PNG", size=(800, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=format)
    return out.getvalue()


def ooxml_bytes(folder: str = "ppt/") -> bytes:
    """An Office Open XML package (docx "word/", xlsx "xl/", pptx "ppt/")."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(f"{folder}document.xml", "<document/>")
    return out.getvalue()


def odf_bytes(mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def ole_bytes(stream: str = "WordDocument") -> bytes:
    """The shape of an old office file: the OLE signature, and its directory naming the
    document's stream (UTF-16LE)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    return header + b"\x00" * 512 + stream.encode("utf-16-le") + b"\x00\x00" + b"\x00" * 64


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def pdf_upload(name: str = "slides.pdf", pages: int = 1):
    return upload(name, pdf_bytes(pages), "application/pdf")


#: Bad files: (name the uploader gave it, content, a word the refusal contains).
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
SHELL = b"#!/bin/sh\nrm -rf ~\n"
SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script></svg>"
)
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
