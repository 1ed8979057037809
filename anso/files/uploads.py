"""Uploaded files that cannot hurt: the size limit, the type read from the content (never from
the name or the browser's claim), an allow-list of types, and a clean file name.

`check_upload` is the one check: it refuses, with a message a person can act on, an empty file,
one over `UPLOAD_MAX_BYTES`, and any content that is not a PDF, an office document (Word, Excel,
PowerPoint, old and new; OpenDocument) or a JPEG, PNG, GIF or WebP image. SVG and HTML (which a
browser would run scripts from) are refused with a message of their own, as are programs
whatever their name. The name kept is cleaned (`clean_filename`) and its extension is the one of
the type found.

The first guess comes from `filetype` (the file's signature); a ZIP or an OLE container (the
office formats) is then opened to tell which document it holds, and an image is decoded by
Pillow, so that a file that only starts like one is refused.
"""

import dataclasses
import hashlib
import re
import unicodedata
import zipfile

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

#: The default size limit (settings.UPLOAD_MAX_BYTES overrides it).
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
#: Bytes read for the first guess (filetype reads at most 8 KiB).
HEAD_BYTES = 8192

PDF = "application/pdf"
JPEG, PNG, GIF, WEBP = "image/jpeg", "image/png", "image/gif", "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
DOC, XLS, PPT = "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"

#: The accepted types and the extension a file of that type is given.
EXTENSIONS = {
    PDF: "pdf",
    JPEG: "jpg",
    PNG: "png",
    GIF: "gif",
    WEBP: "webp",
    DOCX: "docx",
    XLSX: "xlsx",
    PPTX: "pptx",
    ODT: "odt",
    ODS: "ods",
    ODP: "odp",
    DOC: "doc",
    XLS: "xls",
    PPT: "ppt",
}
IMAGE_TYPES = frozenset({JPEG, PNG, GIF, WEBP})
#: Types a browser may show in the page (with `nosniff`); every other is a download.
INLINE_TYPES = frozenset({PDF, *IMAGE_TYPES})
#: Types that anso/files/previews.py makes a preview of (kept here: that module loads PDFium).
PREVIEW_TYPES = frozenset({PDF, *IMAGE_TYPES})

#: In an OOXML package, the folder of the main part tells the document.
_OOXML_FOLDERS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
_ODF_TYPES = {ODT, ODS, ODP}
#: The most an OpenDocument's `mimetype` entry holds (its type, with room to spare): a larger
#: entry is not one, and is never inflated to find out.
_MIMETYPE_MAX_BYTES = 100
#: In an OLE container (old office formats), the stream that holds the document, by its name
#: as the container's directory writes it (UTF-16LE).
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_STREAMS = {
    "WordDocument": DOC,
    "Workbook": XLS,
    "Book": XLS,
    "PowerPoint Document": PPT,
}
_MARKUP = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+(html|svg)|html|svg)\b",
                     re.IGNORECASE | re.DOTALL)  # fmt: skip

#: File names are cut to this many characters (the extension kept), and to this many bytes in
#: UTF-8 (a file system's limit on a name is 255 bytes; a Chinese character takes three).
MAX_NAME_CHARS = 100
MAX_NAME_BYTES = 180
#: Characters that a file name never keeps: separators, and those that Windows refuses or that
#: change a URL's meaning.
_UNSAFE = re.compile(r'[\\/:*?"<>|#%&;]')


@dataclasses.dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed `check_upload`: its content type as read from its content, the
    cleaned name with that type's extension, and its size and SHA-256."""

    file: object
    filename: str
    content_type: str
    size: int
    sha256: str


def max_upload_bytes() -> int:
    return getattr(settings, "UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


def check_upload(upload) -> CheckedUpload:
    """Check an uploaded file (Django's `UploadedFile`, or any file with `name` and `size`);
    `ValidationError` with a translated message when it is refused."""
    size = upload.size
    if not size:
        raise ValidationError(_("The file is empty."), code="empty")
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_big",
        )
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    content_type = detect_content_type(upload, head)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1 << 20), b""):
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        file=upload,
        filename=clean_filename(upload.name or "", extension=EXTENSIONS[content_type]),
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
    )


def detect_content_type(upload, head: bytes) -> str:
    """The accepted type of the upload's content, or `ValidationError`."""
    if _MARKUP.match(head.removeprefix(b"\xef\xbb\xbf")):
        raise ValidationError(
            _("SVG and HTML files are not accepted: they can carry scripts. Upload a PDF or an "
              "image (PNG, JPEG) instead."),
            code="markup",
        )  # fmt: skip
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _zipped_document(upload)
    if head.startswith(_OLE_SIGNATURE):
        return _ole_document(upload)
    guess = filetype.guess_mime(head)
    if guess in IMAGE_TYPES:
        _check_image(upload)
        return guess
    raise ValidationError(
        _("This file's content is not a document this site accepts, whatever its name says. "
          "Upload a PDF, an office document (Word, Excel, PowerPoint, OpenDocument) or an "
          "image (JPEG, PNG, GIF, WebP)."),
        code="type",
    )  # fmt: skip


def _refused_container():
    return ValidationError(
        _("This file is an archive or a container, not an office document this site accepts."),
        code="type",
    )


def _zipped_document(upload) -> str:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            mimetype = _odf_mimetype(archive) if "mimetype" in names else ""
            if mimetype in _ODF_TYPES:
                return mimetype
            if "[Content_Types].xml" in names:
                for folder, content_type in _OOXML_FOLDERS.items():
                    if any(name.startswith(folder) for name in names):
                        return content_type
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _refused_container() from None
    finally:
        upload.seek(0)
    raise _refused_container()


def _odf_mimetype(archive: zipfile.ZipFile) -> str:
    """The type an OpenDocument's `mimetype` entry names, reading at most
    `_MIMETYPE_MAX_BYTES` of it: an entry that says it is larger is not read at all, and one
    that inflates to more than it says is not read past that (a zip bomb is not inflated)."""
    info = archive.getinfo("mimetype")
    if info.file_size > _MIMETYPE_MAX_BYTES:
        return ""
    with archive.open(info) as entry:
        return entry.read(_MIMETYPE_MAX_BYTES).decode("ascii", "replace").strip()


def _ole_document(upload) -> str:
    """An OLE container holds an old office document when its directory names the document's
    stream; the directory may be anywhere in the file, which is read in chunks."""
    wanted = {name.encode("utf-16-le") + b"\x00\x00": t for name, t in _OLE_STREAMS.items()}
    overlap = max(len(key) for key in wanted)
    upload.seek(0)
    tail = b""
    try:
        while chunk := upload.read(1 << 20):
            window = tail + chunk
            for key, content_type in wanted.items():
                if key in window:
                    return content_type
            tail = window[-overlap:]
    finally:
        upload.seek(0)
    raise _refused_container()


def _check_image(upload) -> None:
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("This image cannot be read: it is damaged or not an image."), code="image"
        ) from None
    finally:
        upload.seek(0)


def clean_filename(name: str, *, extension: str) -> str:
    """A file name safe to store and to send: the last part of any path, NFC, without control
    characters or separators, spaces kept (runs made one), at most MAX_NAME_CHARS characters
    and MAX_NAME_BYTES bytes, ending in `.extension` (the type found, whatever the name
    said). "../../etc/passwd" -> "passwd.pdf"; "" -> "document.pdf"."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    # Whitespace of any kind becomes a space; other control and format characters (a
    # right-to-left override that makes "gpj.exe" look like "exe.jpg") are dropped.
    name = "".join(
        " " if char.isspace() else char
        for char in name
        if char.isspace() or not unicodedata.category(char).startswith("C")
    )
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem, dot, old_extension = name.rpartition(".")
    if dot and re.fullmatch(r"[A-Za-z0-9]{1,8}", old_extension):
        name = stem
    name = name.strip(" ._") or "document"
    suffix = f".{extension}"
    room = MAX_NAME_CHARS - len(suffix)
    name = name[:room]
    while len((name + suffix).encode()) > MAX_NAME_BYTES:
        name = name[:-1]
    return name.rstrip(" .") + suffix


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that takes several files at once; `static/js/file-drop.js` makes it a drop
    zone (the input keeps working without the script)."""

    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__(
            {"data-file-drop": gettext_lazy("Drop files here, or choose them."), **(attrs or {})}
        )

    class Media:
        js = ["js/file-drop.js"]
        css = {"all": ["css/file-drop.css"]}


class CheckedFilesField(forms.FileField):
    """Several files in one field, each checked by `check_upload`; cleans to a list of
    `CheckedUpload` (empty when none was chosen and the field is optional). Every refused
    file is named in the errors, so that one bad file among ten is easy to find."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_empty_file", True)  # check_upload says it, with the name
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [item for item in (data if isinstance(data, (list, tuple)) else [data]) if item]
        if not uploads:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        checked, errors = [], []
        for upload in uploads:
            upload = super().clean(upload, initial)
            try:
                checked.append(check_upload(upload))
            except ValidationError as error:
                errors.extend(
                    ValidationError(
                        _("%(name)s: %(problem)s")
                        % {"name": upload.name[:120], "problem": problem},
                        code=error.code or "invalid",
                    )
                    for problem in error.messages
                )
        if errors:
            raise ValidationError(errors)
        return checked
