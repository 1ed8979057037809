"""The QR code printed on a paper, read back from its PDF: the page drawn as an image
(pypdfium2), the code's square found, each module's colour sampled and compared with the code
segno makes for an address. No QR decoder is needed: a code that matches module for module
holds that address."""

import pypdfium2
import segno

#: Pixels per PDF point when the page is drawn.
SCALE = 8
#: PDF object type of a path (the code is drawn as one path of squares).
PATH = 2


def _modules(pdf: bytes, size: int) -> list[list[bool]]:
    """The dark (True) and light modules of the code on the first page, `size` a side."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        _, height = page.get_size()
        squares = []
        for obj in page.get_objects():
            left, bottom, right, top = obj.get_bounds()
            if obj.type == PATH and abs((right - left) - (top - bottom)) < 4 and right - left > 30:
                squares.append((left, bottom, right, top))
        assert len(squares) == 1, f"one code expected on the page, found {len(squares)}"
        left, bottom, right, top = squares[0]
        image = page.render(scale=SCALE).to_pil().convert("L")
    finally:
        document.close()
    box = (
        int(left * SCALE),
        int((height - top) * SCALE),
        int(right * SCALE) + 1,
        int((height - bottom) * SCALE) + 1,
    )
    crop = image.crop(box)
    pixels = crop.load()
    width, tall = crop.size
    dark = [(x, y) for x in range(width) for y in range(tall) if pixels[x, y] < 128]
    x0, x1 = min(x for x, _ in dark), max(x for x, _ in dark)
    y0, y1 = min(y for _, y in dark), max(y for _, y in dark)
    step_x, step_y = (x1 - x0 + 1) / size, (y1 - y0 + 1) / size
    return [
        [
            pixels[int(x0 + (i + 0.5) * step_x), int(y0 + (j + 0.5) * step_y)] < 128
            for i in range(size)
        ]
        for j in range(size)
    ]


def qr_holds(pdf: bytes, address: str) -> bool:
    """Whether the code on the PDF's first page is, module for module, the code of `address`
    (as meetings/papers/render.py makes it)."""
    expected = [[bool(module) for module in row] for row in segno.make(address, error="m").matrix]
    return _modules(pdf, len(expected)) == expected
