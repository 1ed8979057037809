from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for logins that come with a request (the admin login form).

    `authenticate()` without a request (the test client's `login()`, a management command)
    cannot be tied to an address, so it is left to the next backend instead of refused."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler with a second limit: besides AXES_FAILURE_LIMIT failures
    for one username from one address, LOGIN_ACCOUNT_FAILURE_LIMIT failures for one username
    from all addresses together (an attacker who rotates addresses) lock that account.

    Both count the failures of the cool-off period (AXES_COOLOFF_TIME) that axes records per
    username and address, so deleting a username's records (`axes.utils.reset`, the admin's
    "Unlock" action) lifts both. Axes itself compares the largest count of its lockout
    parameters with one limit, which cannot express two limits of different sizes."""

    def account_failures(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        if not username:
            return 0
        recent = AccessAttempt.objects.filter(
            username=username, attempt_time__gte=get_cool_off_threshold(request)
        )
        return recent.aggregate(total=Sum("failures_since_start"))["total"] or 0

    def account_locked(self, request, credentials=None) -> bool:
        return self.account_failures(request, credentials) >= settings.LOGIN_ACCOUNT_FAILURE_LIMIT

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or self.account_locked(request, credentials)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if self.is_whitelisted(request, credentials):
            return
        if self.account_locked(request, credentials):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )
