"""Input that no form or link of the site produces is answered 400 with a message, before it
reaches a view or the database (PostgreSQL refuses NUL characters in text)."""

from django.shortcuts import render
from django.utils.translation import gettext as _


def bad_request(request, message: str):
    """The site's 400 page, saying what was wrong."""
    return render(request, "400.html", {"message": message}, status=400)


def _holds_nul(data) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in data.lists()
    )


class RefuseNulCharactersMiddleware:
    """A NUL character in the query string or the form data of any request is a 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _holds_nul(request.GET) or (request.method == "POST" and _holds_nul(request.POST)):
            return bad_request(
                request, _("The address or the form data holds a NUL character; remove it.")
            )
        return self.get_response(request)
