from django.conf import settings
from django.utils.translation import gettext


def site(request):
    """The site name, for the base template and page titles, in the page's language: the
    default name ("ANSO Working Group") is a message of the catalogue; a name set through the
    environment has no translation and shows as it is."""
    return {"SITE_NAME": gettext(settings.SITE_NAME)}
