from django.urls import reverse

from anso.links import SiteSitemap

from .models import Action, Meeting


class MeetingSitemap(SiteSitemap):
    changefreq = "monthly"
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return Meeting.objects.published().order_by("-start_date")

    def lastmod(self, meeting: Meeting):
        return meeting.end_date


class ActionSitemap(SiteSitemap):
    changefreq = "monthly"
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return Action.objects.order_by("order", "title")


class StaticViewSitemap(SiteSitemap):
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
