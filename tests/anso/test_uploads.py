"""The upload check (anso/files/uploads.py): the type from the content, the allow-list, the size
limit and the cleaned name."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from anso.files import uploads
from anso.files.uploads import check_upload, clean_filename
from tests import sample_files as files


@pytest.mark.parametrize(
    ("name", "data", "content_type", "filename"),
    [
        ("slides.pdf", files.pdf_bytes(), uploads.PDF, "slides.pdf"),
        ("photo.png", files.image_bytes("PNG"), uploads.PNG, "photo.png"),
        ("photo.jpeg", files.image_bytes("JPEG"), uploads.JPEG, "photo.jpg"),
        ("photo.gif", files.image_bytes("GIF"), uploads.GIF, "photo.gif"),
        ("photo.webp", files.image_bytes("WEBP"), uploads.WEBP, "photo.webp"),
        ("talk.pptx", files.ooxml_bytes("ppt/"), uploads.PPTX, "talk.pptx"),
        ("minutes.docx", files.ooxml_bytes("word/"), uploads.DOCX, "minutes.docx"),
        ("figures.xlsx", files.ooxml_bytes("xl/"), uploads.XLSX, "figures.xlsx"),
        ("minutes.odt", files.odf_bytes(), uploads.ODT, "minutes.odt"),
        ("minutes.doc", files.ole_bytes("WordDocument"), uploads.DOC, "minutes.doc"),
        ("figures.xls", files.ole_bytes("Workbook"), uploads.XLS, "figures.xls"),
        ("talk.ppt", files.ole_bytes("PowerPoint Document"), uploads.PPT, "talk.ppt"),
        # The type comes from the content: a PDF named .docx is a PDF, and is named so.
        ("agenda.docx", files.pdf_bytes(), uploads.PDF, "agenda.pdf"),
        ("scan", files.image_bytes("JPEG"), uploads.JPEG, "scan.jpg"),
    ],
)
def test_accepted_types_are_read_from_the_content(name, data, content_type, filename):
    checked = check_upload(files.upload(name, data, "text/html"))  # the browser's claim is ignored
    assert checked.content_type == content_type
    assert checked.filename == filename
    assert checked.size == len(data)
    assert len(checked.sha256) == 64


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("report.pdf", files.EXE, "type"),  # a Windows program renamed
        ("report.pdf", files.ELF, "type"),  # a Linux program renamed
        ("run.pdf", files.SHELL, "type"),
        ("logo.svg", files.SVG, "markup"),
        ("logo.png", files.SVG, "markup"),
        ("page.html", files.HTML, "markup"),
        ("page.pdf", b"\xef\xbb\xbf  <html><script>alert(1)</script>", "markup"),
        ("archive.zip", files.ooxml_bytes("other/"), "type"),  # a zip that is no document
        ("setup.doc", files.ole_bytes("SummaryInformation"), "type"),  # an OLE container (.msi)
        ("broken.zip", b"PK\x03\x04" + b"\x00" * 100, "type"),
        ("fake.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image"),  # a signature, no image
        ("notes.txt", b"plain text", "type"),
    ],
)
def test_refused_content(name, data, code):
    with pytest.raises(ValidationError) as refused:
        check_upload(files.upload(name, data))
    assert refused.value.code == code


@pytest.mark.parametrize("data", [b""])
def test_an_empty_file_is_refused(data):
    with pytest.raises(ValidationError) as refused:
        check_upload(files.upload("empty.pdf", data))
    assert refused.value.code == "empty"
    assert "empty" in refused.value.messages[0]


def test_a_file_over_the_limit_is_refused_before_it_is_read(settings):
    settings.UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as refused:
        check_upload(files.upload("big.pdf", b"%PDF-" + b"0" * 1000))
    assert refused.value.code == "too_big"
    assert "1000" in refused.value.messages[0] or "KB" in refused.value.messages[0]
    assert check_upload(files.upload("small.pdf", b"%PDF-" + b"0" * 900)).size == 905


def test_the_default_limit_is_50_megabytes(settings):
    del settings.UPLOAD_MAX_BYTES
    assert uploads.max_upload_bytes() == 50 * 1024 * 1024


@pytest.mark.parametrize(
    ("name", "cleaned"),
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("..\\..\\windows\\system32\\report.pdf", "report.pdf"),
        ("../", "document.pdf"),
        ("", "document.pdf"),
        ("...", "document.pdf"),
        ("  Future   actions\t2019 .pdf", "Future actions 2019.pdf"),
        ("slides\x00.exe\x07.pdf", "slides.exe.pdf"),
        ("invoice\u202egpj.exe", "invoicegpj.pdf"),  # the right-to-left override is dropped
        ('a<b>c:d"e|f?g*h#i%j.pdf', "a_b_c_d_e_f_g_h_i_j.pdf"),
        ("cafe\u0301.pdf", "caf\u00e9.pdf"),  # NFC
        ("ANSO 行动计划.pptx", "ANSO 行动计划.pdf"),
    ],
)
def test_clean_filename(name, cleaned):
    assert clean_filename(name, extension="pdf") == cleaned


def test_a_long_name_is_cut_keeping_the_extension():
    cleaned = clean_filename("x" * 300 + ".pdf", extension="pdf")
    assert cleaned == "x" * 96 + ".pdf"
    chinese = clean_filename("会" * 300 + ".pdf", extension="pdf")
    assert chinese.endswith(".pdf")
    assert len(chinese.encode()) <= uploads.MAX_NAME_BYTES


def test_a_300_character_name_with_a_path_is_accepted_and_cleaned():
    checked = check_upload(files.upload("../" * 20 + "a" * 300 + ".pdf", files.pdf_bytes()))
    assert checked.filename == "a" * 96 + ".pdf"


class _CountingFile(io.BytesIO):
    """A file that counts the bytes read from it."""

    read_bytes = 0

    def read(self, size=-1):
        data = super().read(size)
        self.read_bytes += len(data)
        return data


def _zip_with_a_large_mimetype_entry(*, inflated: int, folders: tuple[str, ...]) -> bytes:
    """A zip whose `mimetype` entry inflates to `inflated` bytes of zeros (about a thousandth of
    that compressed), written a mebibyte at a time."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("mimetype", "w", force_zip64=True) as entry:
            for _ in range(inflated >> 20):
                entry.write(bytes(1 << 20))
        archive.writestr("[Content_Types].xml", "<Types/>")
        for folder in folders:
            archive.writestr(f"{folder}document.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("folders", "content_type"), [(("word/",), uploads.DOCX), ((), None)], ids=["docx", "zip"]
)
def test_a_zip_entry_that_inflates_hugely_is_not_inflated(folders, content_type):
    """A `mimetype` entry larger than an OpenDocument's is not read: the check reads the
    archive's directory, not the entry (16 MiB inflated, 16 KB compressed, here)."""
    data = _zip_with_a_large_mimetype_entry(inflated=16 << 20, folders=folders)
    upload = _CountingFile(data)
    head = upload.read(uploads.HEAD_BYTES)
    upload.read_bytes = 0
    if content_type is None:
        with pytest.raises(ValidationError):
            uploads.detect_content_type(upload, head)
    else:
        assert uploads.detect_content_type(upload, head) == content_type
    assert len(data) > 16_000
    assert upload.read_bytes < 2_000
