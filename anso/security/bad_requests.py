"""Input that no form or link of the site produces is answered 400 with a message, before it
reaches a view or the database (PostgreSQL refuses NUL characters in text)."""

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.http import QueryDict
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
    """A NUL character in the query string or the form data of any request is a 400, and so
    are more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS. Django answers the latter 400 by
    itself only with debug off: its debug page reads the fields again and fails (500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            holds_nul = _holds_nul(request.GET) or (
                request.method == "POST" and _holds_nul(request.POST)
            )
        except TooManyFieldsSent:
            # Nothing later (the 400 page, the logs) may read the fields again.
            request.GET, request.POST = QueryDict(), QueryDict()
            return bad_request(
                request,
                _("The address or the form has too many fields (at most %(limit)s).")
                % {"limit": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS},
            )
        if holds_nul:
            return bad_request(
                request, _("The address or the form data holds a NUL character; remove it.")
            )
        return self.get_response(request)
