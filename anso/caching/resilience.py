"""A database blip is not a 500.

While the database cannot be reached (`OperationalError` or `InterfaceError` on connecting
or on a query, wherever in the request it is raised), `DatabaseUnavailableMiddleware`
(placed right after the security headers' middleware, before any that reads a record) answers
instead of the server error:

- an anonymous GET/HEAD of a public page with the page cache's last good copy of that path,
  even if records changed since (`anso.caching.pages.stale_page`);
- anything else with 503 and `Retry-After`, from `503.html`, rendered without the request so
  that rendering it reads no record (no session, no user).

Django turns an exception into the 500 answer inside each middleware layer, so the middleware
learns what was raised from the `got_request_exception` signal, sent while it is handled. The
connection is opened again by the next request (`CONN_HEALTH_CHECKS`), so the site recovers
without a restart.
"""

import logging
import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

from anso.caching.pages import stale_page

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
#: Seconds a client is asked to wait before it tries again.
RETRY_AFTER_SECONDS = 10


def _note_database_error(sender, request=None, **kwargs):
    if request is not None and isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        request.database_unavailable = True


def service_unavailable() -> HttpResponse:
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        got_request_exception.connect(
            _note_database_error, dispatch_uid="anso-database-unavailable"
        )

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code >= 500 and getattr(request, "database_unavailable", False):
            page = stale_page(request)
            if page is not None:
                return page
            logger.warning("Database unreachable: %s %s answered 503", request.method, request.path)
            return service_unavailable()
        return response
