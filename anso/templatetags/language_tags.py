"""The page in the other languages: the `hreflang` alternates of base.html's head and the
language switcher (templates/includes/language_switcher.html).

A public page lives under each language's prefix (anso/urls.py), so its address in another
language is the same route translated (`translate_url`). A page outside the prefixed routes
(the admin, an error page) has no such address: it gets no alternates, and the switcher posts
to `set_language` instead, which remembers the choice in a cookie."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info

from anso.links import absolute_url

register = template.Library()


@dataclass(frozen=True)
class Alternate:
    code: str
    name: str  # in its own language ("简体中文")
    url: str  # absolute, on SITE_URL; "" when the page has no address of its own in that language


def _alternates(request) -> list[Alternate]:
    path = request.path
    found = [(code, translate_url(path, code)) for code, _name in settings.LANGUAGES]
    prefixed = len({url for _code, url in found}) == len(found)
    return [
        Alternate(
            code=code,
            name=get_language_info(code)["name_local"],
            url=absolute_url(url) if prefixed else "",
        )
        for code, url in found
    ]


@register.simple_tag(takes_context=True)
def language_alternates(context) -> list[Alternate]:
    """Every interface language with the page's absolute address in it (or "")."""
    request = context.get("request")
    if request is None:
        return []
    return _alternates(request)


@register.simple_tag(takes_context=True)
def x_default_url(context) -> str:
    """The page's address for a visitor whose language the site does not speak: the path
    without a prefix, which LocaleMiddleware sends on by Accept-Language (the sitemap says the
    same: `Sitemap.x_default`)."""
    request = context.get("request")
    for alternate in language_alternates(context):
        if alternate.code == settings.LANGUAGE_CODE and alternate.url:
            prefix = f"/{alternate.code}/"
            path = translate_url(request.path, alternate.code)
            return absolute_url("/" + path.removeprefix(prefix))
    return ""
