"""The text of a mailing: placeholders filled for each recipient, and the HTML part built
from the plain text.

Placeholders are a fixed list (`PLACEHOLDERS`) written in braces, `{name}`; a brace itself is
written twice, `{{`. Nothing else of Python's format syntax is allowed (no attributes, indexes,
conversions or format specs), so a template can read no value the list does not name.
"""

import string
from collections.abc import Mapping

from django.template.loader import render_to_string
from django.utils.html import linebreaks, urlize
from django.utils.translation import gettext_lazy as _

#: Placeholder -> what it is replaced with (shown beside the composer's text fields).
PLACEHOLDERS: dict[str, str] = {
    "name": _("the recipient's name"),
    "organization": _("the recipient's organization"),
    "meeting": _("the meeting's title"),
    "dates": _("the meeting's dates"),
    "venue": _("the meeting's venue and city"),
    "link": _("the recipient's personal registration link (invitations only)"),
}

#: The placeholders an announcement may use: it has no registration link.
ANNOUNCEMENT_PLACEHOLDERS = frozenset(PLACEHOLDERS) - {"link"}

_FORMATTER = string.Formatter()


class TemplateError(ValueError):
    """A template that cannot be filled; the message is for the Secretariat."""


def template_check(text: str, *, allowed: frozenset[str] | set[str]) -> None:
    """Raise TemplateError for a malformed template or a placeholder not in `allowed`."""
    try:
        parts = list(_FORMATTER.parse(text))
    except ValueError as error:
        raise TemplateError(
            _("A brace is not closed or not doubled. Write {{ and }} for a brace itself.")
        ) from error
    for _literal, field, spec, conversion in parts:
        if field is None:
            continue
        if field not in PLACEHOLDERS or spec or conversion:
            raise TemplateError(
                _("Unknown placeholder {%(field)s}. Use only: %(allowed)s.")
                % {
                    "field": field
                    + (f"!{conversion}" if conversion else "")
                    + (f":{spec}" if spec else ""),
                    "allowed": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS if name in allowed),
                }
            )
        if field not in allowed:
            raise TemplateError(
                _("The placeholder {%(field)s} cannot be used in this mail.") % {"field": field}
            )


def template_fill(text: str, values: Mapping[str, str]) -> str:
    """The text with its placeholders replaced; the template was checked before."""
    return "".join(
        literal + (str(values.get(field, "")) if field is not None else "")
        for literal, field, _spec, _conversion in _FORMATTER.parse(text)
    )


def html_from_text(text: str, *, footer: str = "", footer_link: str = "") -> str:
    """The HTML part of a mail: the plain text escaped, its paragraphs and lines kept, its
    addresses made links, in the site's small mail layout; below it the footer's text and its
    link (made by the template, whatever the text's punctuation)."""
    body = linebreaks(urlize(text, nofollow=False, autoescape=True))
    return render_to_string(
        "meetings/email/mailing.html",
        {"body": body, "footer": footer, "footer_link": footer_link},
    )
