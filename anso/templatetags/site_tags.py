"""Template helpers shared by the public pages."""

import datetime

from django import template
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from anso.languages import fallback_lang, lang_attribute

register = template.Library()


@register.filter
def date_range(start: datetime.date, end: datetime.date | None) -> str:
    """A date, or "start - end" (with an en dash) in the active language's date format."""
    if not start:
        return ""
    if not end or end == start:
        return date_format(start)
    return _("%(start)s \u2013 %(end)s") % {"start": date_format(start), "end": date_format(end)}


@register.simple_tag(takes_context=True)
def canonical_url(context, obj=None) -> str:
    """The absolute URL of the page without its query string (or of `obj`)."""
    request = context.get("request")
    if request is None:
        return ""
    path = obj.get_absolute_url() if obj is not None else request.path
    return request.build_absolute_uri(path)


@register.simple_tag
def lang_of(obj, field: str) -> str:
    """` lang="en"` inside the tag of an element showing `obj.<field>` when the active language
    shows the English value in place of a missing translation; nothing otherwise:
    `<h1{% lang_of meeting "title" %}>{{ meeting.title }}</h1>`."""
    return mark_safe(lang_attribute(fallback_lang(obj, field)))  # noqa: S308 (escaped)
