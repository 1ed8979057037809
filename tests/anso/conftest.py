"""Fixtures of the infrastructure's tests."""

import pytest


@pytest.fixture
def fresh_rate_window(monkeypatch):
    """The shared rate's clock moved to the start of the next minute's window, so that no
    window ends while the test runs (the clock still runs)."""
    import time

    from anso.security import ratelimit

    shift = 60 - time.time() % 60 + 1
    monkeypatch.setattr(ratelimit, "_clock", lambda: time.time() + shift)
    return shift
