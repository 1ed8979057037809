"""HTML fragments written through Jinja2: markup repeated thousands of times on one page (a
programme's agenda items and speakers), where Django's template language spends most of a
render resolving variables.

The templates are in `templates/jinja2/`, loaded by Django's `Jinja2` backend (the "jinja2"
entry of `TEMPLATES`), which compiles each to Python once and keeps it. Every value written is
escaped (autoescape); a missing variable is an error, not an empty string (`StrictUndefined`);
a line that holds only a block tag writes nothing (`trim_blocks`, `lstrip_blocks`). The filters
are the Django ones the pages use, so that a fragment writes what a Django template would:

- `day`: a date as every page writes it (`anso.text.dates.format_date`);
- `time_of_day`: a time in the locale's format;
- `filesize`, `capfirst`: Django's filters of those names;
- `paragraphs`: a text's paragraphs and lines, as Django's `linebreaks` splits them.

Translated words are passed in by the code that renders a fragment, translated there (where
`makemessages` finds them)."""

import re
from typing import NamedTuple

import jinja2
from django.template import engines
from django.template.defaultfilters import capfirst, filesizeformat
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe

from anso.text.dates import format_date

#: Jinja2 writes an escaped quote and apostrophe as `&#34;` and `&#39;`, Django as `&quot;`
#: and `&#x27;`: a fragment writes them as the rest of the page does. Escaped text holds
#: `&#34;` only where it escaped a quote (a stored "&#34;" is written `&amp;#34;`).
_DJANGO_QUOTES = (("&#34;", "&quot;"), ("&#39;", "&#x27;"))


def _time_of_day(value) -> str:
    return formats.time_format(value, "TIME_FORMAT")


_NEWLINES = re.compile(r"\r\n|\r")
_BLANK_LINES = re.compile(r"\n{2,}")


class Paragraph(NamedTuple):
    """A paragraph of a text as Django's `linebreaks` filter writes it: after a blank line
    (`gap`, empty for the first), its lines, to be written as `<p>` and `<br>`."""

    gap: str
    first_line: str
    other_lines: list[str]


def _paragraphs(text: str) -> list[Paragraph]:
    """The paragraphs of a text, to write in the template: Django's `linebreaks` filter, as a
    filter, took a third of the programme template's time (its lazy-text wrappers), and a
    loop that asks `loop.first` another tenth."""
    paragraphs = []
    for index, paragraph in enumerate(_BLANK_LINES.split(_NEWLINES.sub("\n", text))):
        first_line, *other_lines = paragraph.split("\n")
        paragraphs.append(Paragraph("\n\n" if index else "", first_line, other_lines))
    return paragraphs


class _Environment(jinja2.Environment):
    @staticmethod
    def concat(pieces) -> str:
        """The pieces of a render joined, each as a plain string as it comes. Every escaped
        value is a `Markup`, which the garbage collector tracks: joined as they are, a
        1,000-item programme's 10,000 of them lived to the end of the render, and the
        collections they set off cost more than the render itself."""
        return "".join(map(str, pieces))


def environment(**options) -> jinja2.Environment:
    """The Jinja2 environment of the "jinja2" template engine (its OPTIONS' `environment`).
    Escaping is on whatever the options say."""
    options.pop("autoescape", None)
    options.update(undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env = _Environment(**options, autoescape=True)
    env.filters.update(
        day=format_date,
        time_of_day=_time_of_day,
        filesize=filesizeformat,
        capfirst=capfirst,
        paragraphs=_paragraphs,
    )
    return env


def render_fragment(name: str, context: dict) -> SafeString:
    """The fragment `name` (in templates/jinja2/) rendered with `context`, to insert in a page."""
    html = engines["jinja2"].env.get_template(name).render(context)
    for jinja_form, django_form in _DJANGO_QUOTES:
        if jinja_form in html:
            html = html.replace(jinja_form, django_form)
    return mark_safe(html)  # noqa: S308 (a template's output: every value in it is escaped)
