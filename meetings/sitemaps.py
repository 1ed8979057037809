from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Action, Meeting


class MeetingSitemap(Sitemap):
    changefreq = "monthly"
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return Meeting.objects.published().order_by("-start_date")

    def lastmod(self, meeting: Meeting):
        return meeting.end_date


class ActionSitemap(Sitemap):
    changefreq = "monthly"
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return Action.objects.order_by("order", "title")


class StaticViewSitemap(Sitemap):
    changefreq = "weekly"
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return [
            "home",
            "meetings:meeting_list",
            "members:working_group",
            "members:organization_list",
            "meetings:action_list",
        ]

    def location(self, item: str) -> str:
        return reverse(item)
