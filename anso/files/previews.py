"""Small PNG previews of uploaded files: a thumbnail of an image, the first page of a PDF.

Made by the background worker (the caller's task), never while a page renders. Pillow decodes
the images (with its limit on the number of pixels, against decompression bombs) and PDFium
(the `pypdfium2` wheel, the renderer of Chromium) the PDFs, so a fresh machine needs nothing
installed beside the Python packages."""

import io

import pypdfium2
from PIL import Image, ImageOps

from anso.files.uploads import IMAGE_TYPES, PDF

#: The longest side of a preview, in pixels.
PREVIEW_PIXELS = 480


class PreviewError(Exception):
    """The file could not be rendered: damaged, encrypted, or of a type without previews."""


def render_preview(data: bytes, content_type: str, *, pixels: int = PREVIEW_PIXELS) -> bytes:
    """The PNG preview of a file's content; `PreviewError` when there is none."""
    try:
        if content_type == PDF:
            image = _pdf_first_page(data, pixels)
        elif content_type in IMAGE_TYPES:
            image = Image.open(io.BytesIO(data))
            image.seek(0)  # the first frame of an animation
            image = ImageOps.exif_transpose(image)
        else:
            raise PreviewError(f"no preview for {content_type}")
        image.thumbnail((pixels, pixels))
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA")
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        return out.getvalue()
    except PreviewError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise PreviewError(str(error) or type(error).__name__) from error
    except pypdfium2.PdfiumError as error:
        raise PreviewError(str(error) or "PDFium could not read the file") from error


def _pdf_first_page(data: bytes, pixels: int) -> Image.Image:
    pdf = pypdfium2.PdfDocument(data)
    try:
        if len(pdf) == 0:
            raise PreviewError("the PDF has no pages")
        page = pdf[0]
        width, height = page.get_size()
        scale = pixels / max(width, height, 1)
        image = page.render(scale=scale).to_pil()
        page.close()
        return image
    finally:
        pdf.close()
