"""Sending a stored file to a visitor, after the caller's permission check.

`file_download_response(request, file, filename=..., content_type=...)` answers with the file
of a `FieldFile` (or any file with a `storage` and a `name`), served without a Python worker
streaming it where possible:

- on an S3-compatible bucket (anso/files/storage.py): a 302 redirect to a signed address that
  expires after `S3_URL_EXPIRE_SECONDS`; the bucket answers with the Content-Disposition and
  Content-Type given here. The redirect is never cached (`private, no-store`).
- on the local file system with `FILES_X_ACCEL_REDIRECT_PREFIX` set (production behind nginx):
  an empty 200 with `X-Accel-Redirect`; nginx serves the file from its `internal` location and
  keeps this response's Content-Type, Content-Disposition and Cache-Control
  (docs/deployment.md).
- else (`make run`): the file streamed by Django (`FileResponse`). A deployment without the
  prefix is reported by `manage.py check --deploy` (anso.I001) and logged once.

Always: `X-Content-Type-Options: nosniff`; a Content-Disposition with a cleaned name (RFC
6266: an ASCII `filename=` and the UTF-8 `filename*=`); a type that a browser would run (HTML,
SVG, XML, JavaScript) only ever as an attachment; `Cache-Control: private` unless the file is
public; a sandboxing Content-Security-Policy. A file missing from the storage is a 404.
"""

import logging
import re
import unicodedata
from urllib.parse import quote

from anyascii import anyascii
from django.conf import settings
from django.core import checks
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header

from anso.files.storage import is_s3

logger = logging.getLogger(__name__)

#: Types a browser renders as a document that runs scripts: never shown inline.
ACTIVE_CONTENT_TYPES = {
    "text/html",
    "application/xhtml+xml",
    "image/svg+xml",
    "text/xml",
    "application/xml",
    "text/xsl",
    "application/xslt+xml",
    "text/javascript",
    "application/javascript",
    "application/x-javascript",
    "application/ecmascript",
    "text/ecmascript",
    "application/wasm",
    "application/x-shockwave-flash",
    "multipart/x-mixed-replace",
}
#: A file shown inline runs no script, submits no form and loads nothing (X-Frame-Options, from
#: the middleware, keeps other sites from framing it).
SANDBOX_POLICY = "default-src 'none'; sandbox"
#: Chrome's PDF viewer refuses a sandboxed document: a PDF may embed the viewer, nothing else.
PDF_POLICY = "default-src 'none'; object-src 'self'"
#: The longest name offered to the browser, in characters (the extension is kept).
MAX_FILENAME_LENGTH = 150
FALLBACK_FILENAME = "download"
_CONTENT_TYPE = re.compile(r"^[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+$")


def is_active_content(content_type: str) -> bool:
    """Whether a browser showing a file of this type could run a script in it."""
    base = content_type.split(";", 1)[0].strip().lower()
    return (
        base in ACTIVE_CONTENT_TYPES
        or base.endswith(("+xml", "/xml", "html", "javascript", "ecmascript"))
        or not _CONTENT_TYPE.match(base)
    )


def clean_content_type(content_type: str) -> str:
    """`content_type` if it is a well-formed media type (parameters allowed, in printable
    ASCII), else `application/octet-stream`."""
    value = (content_type or "").strip()
    base = value.split(";", 1)[0].strip()
    if not _CONTENT_TYPE.match(base) or not re.fullmatch(r"[\x20-\x7e]*", value):
        return "application/octet-stream"
    return value


def clean_filename(filename: str) -> str:
    """A name safe to offer for saving: no folders, no control or format characters (line
    breaks, right-to-left overrides), no quotes or backslashes, no leading dots, at most
    MAX_FILENAME_LENGTH characters with the extension kept; never empty."""
    name = unicodedata.normalize("NFC", filename or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(
        " " if unicodedata.category(char) in {"Cc", "Zl", "Zp"} else char
        for char in name
        if unicodedata.category(char) not in {"Cf", "Cs", "Co", "Cn"}
    )
    name = name.replace('"', "'").replace(";", " ")
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip()
    if len(name) > MAX_FILENAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and stem and 0 < len(extension) <= 16:
            keep = MAX_FILENAME_LENGTH - len(extension) - 1
            name = f"{stem[:keep].rstrip()}.{extension}"
        else:
            name = name[:MAX_FILENAME_LENGTH].rstrip()
    return name or FALLBACK_FILENAME


def ascii_filename(name: str) -> str:
    """The ASCII stand-in of a cleaned name (Chinese romanized), for browsers that ignore
    `filename*`."""
    text = re.sub(r"[^\x20-\x7e]", "", anyascii(name)).replace('"', "'").replace("\\", "")
    text = re.sub(r"\s+", " ", text).strip().lstrip(".").strip()
    return text[:MAX_FILENAME_LENGTH] or FALLBACK_FILENAME


def content_disposition(filename: str, *, as_attachment: bool) -> str:
    """The Content-Disposition header (RFC 6266) for a name: `filename=` in ASCII, and
    `filename*=UTF-8''...` with the name itself when that is not plain ASCII."""
    name = clean_filename(filename)
    fallback = ascii_filename(name)
    header = content_disposition_header(as_attachment, fallback)
    if fallback != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


def file_download_response(
    request,
    file,
    *,
    filename: str,
    content_type: str,
    as_attachment: bool = True,
    public: bool = False,
) -> HttpResponse:
    """The answer that gives `file` to the visitor of `request`; the caller has checked that
    the visitor may have it. `public` allows shared caches to keep the file."""
    storage = getattr(file, "storage", None) or default_storage
    name = getattr(file, "name", None)
    if not name:
        raise Http404("No file.")
    content_type = clean_content_type(content_type)
    if is_active_content(content_type):
        as_attachment = True
    disposition = content_disposition(filename, as_attachment=as_attachment)

    if is_s3(storage):
        if not storage.exists(name):
            raise Http404("The file is missing from the storage.")
        parameters = {
            "ResponseContentDisposition": disposition,
            "ResponseContentType": content_type,
            "ResponseCacheControl": "public, no-cache" if public else "private, no-store",
        }
        response = HttpResponseRedirect(storage.url(name, parameters=parameters))
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response

    prefix = getattr(settings, "FILES_X_ACCEL_REDIRECT_PREFIX", "")
    if prefix:
        if not storage.exists(name):
            raise Http404("The file is missing from the storage.")
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name, safe="/")
    else:
        try:
            handle = storage.open(name, "rb")
        except (FileNotFoundError, IsADirectoryError) as error:
            raise Http404("The file is missing from the storage.") from error
        _warn_once_about_streaming()
        response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    is_pdf = content_type.split(";")[0].strip().lower() == "application/pdf"
    response["Content-Security-Policy"] = PDF_POLICY if is_pdf else SANDBOX_POLICY
    # Replaced files keep their address: a cache must ask again each time.
    response["Cache-Control"] = "public, no-cache" if public else "private"
    return response


_warned = False


def _warn_once_about_streaming() -> None:
    global _warned
    if not settings.DEBUG and not _warned:
        _warned = True
        logger.warning(
            "Files are streamed by the Python workers: behind nginx, set "
            "FILES_X_ACCEL_REDIRECT_PREFIX, or keep the files in a bucket (S3_BUCKET)."
        )


def check_file_serving(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A deployment that streams files through the Python workers is told so (an Info: the
    site works, `make serve` without nginx is allowed). Registered by anso/apps.py."""
    if settings.DEBUG or settings.FILES_X_ACCEL_REDIRECT_PREFIX or is_s3(default_storage):
        return []
    return [
        checks.Info(
            "Uploaded files are on this machine and will be streamed by the Python workers.",
            hint=(
                "Behind nginx, set FILES_X_ACCEL_REDIRECT_PREFIX and its internal location, "
                "or set S3_BUCKET (docs/deployment.md, 'Uploaded files')."
            ),
            id="anso.I001",
        )
    ]
