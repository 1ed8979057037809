"""Template helpers shared by the public pages."""

import datetime
from fnmatch import fnmatchcase

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anso.links import absolute_url
from anso.text import dates
from anso.text.languages import english_lang, fallback_lang, lang_attribute
from anso.text.markdown import markdown_html
from anso.text.places import place_of

register = template.Library()

#: The main navigation: each link, its label, and the views (by namespaced name, `*` as a
#: wildcard) that belong to its section. The site's root URLconf names a person's and an
#: organization's page without a namespace.
NAVIGATION = (
    (
        "meetings:meeting_list",
        gettext_lazy("Meetings"),
        ("meetings:meeting_*", "meetings:registration_*"),
    ),
    (
        "members:working_group",
        gettext_lazy("Working Group"),
        ("members:working_group", "person_detail"),
    ),
    (
        "members:organization_list",
        gettext_lazy("Members"),
        ("members:organization_list", "organization_detail"),
    ),
    ("meetings:action_list", gettext_lazy("Action Plan"), ("meetings:action_*",)),
    (
        "members:nomination_create",
        gettext_lazy("Register a contact person"),
        ("members:nomination_*",),
    ),
)


@register.filter
def date_range(start: datetime.date, end: datetime.date | None = None) -> str:
    """A day or a range of days, as anso.text.dates writes them: "30-31 January 2027"
    (with an en dash)."""
    return dates.date_range(start, end)


@register.filter
def markdown(text: str) -> SafeString:
    """Markdown as sanitised HTML (anso.text.markdown): the one way a page shows it."""
    return markdown_html(text)


@register.filter
def moment(value: datetime.datetime | None) -> str:
    """A date and time in the site's time zone, the zone named: "30 January 2027, 18:00
    (Asia/Shanghai)"."""
    return dates.format_datetime(value)


#: Between the parts of every page's title, public and staff ("Check-in | 1st meeting |
#: ANSO administration"), as Django's admin writes its own.
TITLE_SEPARATOR = " | "


@register.simple_tag
def title_join(*parts) -> str:
    """A page's title from its parts, the empty ones left out, each escaped, with the one
    separator between them: `{% title_join subtitle title site_title %}`."""
    return format_html_join(TITLE_SEPARATOR, "{}", ((part,) for part in parts if part))


class PageTitleNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        # The rendered block, already escaped by its template; the site's name is a setting.
        page = SafeString(self.nodelist.render(context).strip())
        return title_join(page, context.get("SITE_NAME") or _("ANSO Working Group"))


@register.tag
def page_title(parser, token):
    """`{% page_title %}{% block title %}{% endblock %}{% endpage_title %}`: the page's own
    title and the site's name with one separator between them, or the site's name alone."""
    nodelist = parser.parse(("endpage_title",))
    parser.delete_first_token()
    return PageTitleNode(nodelist)


@register.inclusion_tag("includes/main_nav.html", takes_context=True)
def main_nav(context) -> dict:
    """The main navigation, its current section marked: the link of the page itself with
    aria-current="page", the section's link of a page further in with aria-current="true"."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    items = []
    for url_name, label, section in NAVIGATION:
        if view_name == url_name:
            current = "page"
        elif view_name and any(fnmatchcase(view_name, pattern) for pattern in section):
            current = "true"
        else:
            current = ""
        items.append({"url_name": url_name, "label": label, "current": current})
    return {"items": items}


@register.simple_tag(takes_context=True)
def canonical_url(context, obj=None) -> str:
    """The absolute URL of the page without its query string (or of `obj`), on SITE_URL."""
    if obj is not None:
        return absolute_url(obj.get_absolute_url())
    request = context.get("request")
    return absolute_url(request.path) if request is not None else ""


@register.simple_tag
def lang_of(obj, field: str) -> str:
    """` lang="en"` inside the tag of an element showing `obj.<field>` when the active language
    shows the English value in place of a missing translation; nothing otherwise:
    `<h1{% lang_of meeting "title" %}>{{ meeting.title }}</h1>`."""
    return lang_attribute(fallback_lang(obj, field))


@register.simple_tag
def lang_english() -> str:
    """` lang="en"` inside the tag of an element showing text kept in English only (a
    capacity, a position's title, a name's Latin form) on a page in another language;
    nothing on an English page: `<span{% lang_english %}>{{ talk.capacity }}</span>`."""
    return lang_attribute(english_lang())


@register.inclusion_tag("includes/place.html")
def place(obj, with_venue=False):
    """Where `obj` (a record with `city` and `country`, and `venue` when `with_venue`) is, in
    the active language's order (`anso.text.places`), its English fallbacks marked:
    `{% place meeting %}` writes "Beijing, China", or "中国北京" on a Chinese page."""
    return {"parts": place_of(obj, with_venue=with_venue)}
