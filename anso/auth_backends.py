from axes.backends import AxesStandaloneBackend
from django.conf import settings


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for logins that come with a request (the admin login form).

    `authenticate()` without a request (the test client's `login()`, a management command)
    cannot be tied to an address, so it is left to the next backend instead of refused."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request) -> str | None:
    """The visitor's address for the login lockout: REMOTE_ADDR, or, when the request comes
    from a trusted proxy (nginx on this machine), the last address in X-Forwarded-For, which
    that proxy wrote. Addresses a client put in the header itself are never trusted."""
    remote = request.META.get("REMOTE_ADDR")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if remote in settings.TRUSTED_PROXIES and forwarded.strip():
        return forwarded.split(",")[-1].strip()
    return remote
