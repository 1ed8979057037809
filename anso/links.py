"""Absolute links: a path on the site's address, `settings.SITE_URL`.

Every absolute link the site writes comes from here: the links of every mail (written by the
worker, where there is no request), a page's canonical address and its language alternates,
the sitemap, robots.txt's sitemap line and the calendar feeds. None is taken from the
request's Host header: a cached page is served whatever Host was asked, and a Host the site
does not serve is answered 400 by a page that asks nothing of it.

SITE_URL is read and normalised once, in anso/settings.py: a scheme and a host (and a port),
with no trailing slash ("https://anso.example.org").
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap


def absolute_url(path: str) -> str:
    """`path` ("/en/meetings/", from `reverse()` or `get_absolute_url()`) on the site's
    address: "https://anso.example.org/en/meetings/"."""
    if not path.startswith("/") or path.startswith("//"):
        raise ValueError(f"Not a path on this site: {path!r}")
    return settings.SITE_URL + path


class SiteSitemap(Sitemap):
    """A sitemap whose addresses are on SITE_URL, whatever host the request named."""

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc
