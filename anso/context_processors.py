from django.conf import settings


def site(request):
    """The site name, for the base template and page titles."""
    return {"SITE_NAME": settings.SITE_NAME}
