"""Papers as PDF: an HTML template and the print CSS (`static/css/papers.css`, A4, numbered
pages) rendered by WeasyPrint, in the paper's language.

Everything a paper shows comes from the project: the fonts are the vendored ones the CSS
declares (static/vendor/fonts/), read by `StaticFilesFetcher`, which refuses any other address
(no network, no file outside the static folders); images (the letterhead's logo and signature,
the QR code) are handed to the template as `data:` addresses. The fonts are loaded once per
process: the first paper takes a little longer than the next ones."""

import base64
import threading
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import filetype
import segno
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from anso.files.uploads import IMAGE_TYPES
from anso.links import absolute_url

STYLESHEET = "css/papers.css"

_lock = threading.Lock()
_loaded: dict[str, object] = {}


class StaticFilesFetcher(URLFetcher):
    """WeasyPrint's fetcher for `file:` addresses inside `roots` and `data:` addresses only;
    any other address stops the rendering."""

    def __init__(self, roots: list[Path]):
        super().__init__(fail_on_errors=True, allowed_protocols={"file", "data"})
        self.roots = [root.resolve() for root in roots]

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise ValueError(f"Not a static file of the project: {url}")
        elif not url.startswith("data:"):
            raise ValueError(f"The papers read nothing from the network: {url[:80]}")
        return super().fetch(url, headers)


def _stylesheet() -> tuple[CSS, FontConfiguration, StaticFilesFetcher, str]:
    """The print CSS with its fonts loaded, once per process."""
    if "css" not in _loaded:
        path = Path(finders.find(STYLESHEET))
        static_root = path.parent.parent
        fetcher = StaticFilesFetcher([static_root])
        font_config = FontConfiguration()
        css = CSS(filename=str(path), url_fetcher=fetcher, font_config=font_config)
        _loaded.update(
            css=css, fonts=font_config, fetcher=fetcher, base_url=static_root.as_uri() + "/"
        )
    return _loaded["css"], _loaded["fonts"], _loaded["fetcher"], _loaded["base_url"]


#: The archival papers' variant: PDF/A-2, level A ("accessible": tagged, every glyph mapped
#: to Unicode). WeasyPrint writes one variant at a time, so PDF/UA is not claimed as well; the
#: level A tags (a structure tree, the document's language) are what PDF/UA builds on.
ARCHIVAL_VARIANT = "pdf/a-2a"


def render_pdf(template: str, context: dict, *, language: str, archival: bool = False) -> bytes:
    """The PDF of `template` rendered with `context` in `language`. An `archival` paper (a
    certificate, a meeting's dossier) is written as PDF/A-2a (`ARCHIVAL_VARIANT`): the sRGB
    output intent, the XMP metadata that says so, and the structure tags."""
    with translation.override(language):
        html = render_to_string(template, {**context, "language": language})
    options = {"pdf_variant": ARCHIVAL_VARIANT} if archival else {}
    with _lock:
        css, font_config, fetcher, base_url = _stylesheet()
        document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
        return document.write_pdf(stylesheets=[css], font_config=font_config, **options)


def qr_code_data_uri(path: str) -> str:
    """A QR code (SVG) of the absolute address of `path` on SITE_URL, as a `data:` address."""
    return segno.make(absolute_url(path), error="m").svg_data_uri(border=0)


def image_data_uri(file) -> str:
    """A stored image (the letterhead's) as a `data:` address; empty when there is none or it
    is not an image the uploads accept."""
    if not file:
        return ""
    with file.open("rb") as handle:
        content = handle.read()
    kind = filetype.guess(content)
    if kind is None or kind.mime not in IMAGE_TYPES:
        return ""
    return f"data:{kind.mime};base64,{base64.b64encode(content).decode()}"


def qr_code_png_data_uri(path: str) -> str:
    """The QR code of `path`'s absolute address as a PNG (four pixels a module), for a sheet
    that prints hundreds of them: WeasyPrint draws a PNG in a third less time than the SVG's
    many squares. Drawn without smoothing (`image-rendering: pixelated` in papers.css)."""
    return segno.make(absolute_url(path), error="m").png_data_uri(scale=4, border=0)


def render_document(template: str, context: dict, *, language: str):
    """`template` laid out in pages but not yet written (a WeasyPrint `Document`): a batch lays
    out its papers chunk by chunk, reporting its progress, and writes them as one PDF
    (`pdf_of_documents`)."""
    with translation.override(language):
        html = render_to_string(template, {**context, "language": language})
    with _lock:
        css, font_config, fetcher, base_url = _stylesheet()
        document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
        return document.render(stylesheets=[css], font_config=font_config)


def pdf_of_documents(documents: list) -> bytes:
    """The pages of `documents`, in order, as one PDF (WeasyPrint's way to join documents)."""
    pages = [page for document in documents for page in document.pages]
    with _lock:
        return documents[0].copy(pages).write_pdf()
