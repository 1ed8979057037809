"""One sign-in link used by several requests at once, and one account made for several
requests at once, on PostgreSQL with real concurrent connections (the row locks of
members/sign_in/services.py). SQLite has no row locks: nothing to test there."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from sesame.utils import get_token

from members.sign_in import services
from tests.factories import PositionFactory
from tests.members.test_nomination_concurrency import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent connections need PostgreSQL (CI runs this suite on it)",
    ),
]


def test_one_link_used_at_once_by_three_requests_signs_in_one():
    person = PositionFactory().person
    user = services.member_account(person=person)
    token = get_token(user, scope=services.TOKEN_SCOPE)

    results = run_together(*[lambda: services.sign_in_token_use(token=token)] * 3)

    signed_in = [r for r in results if isinstance(r, get_user_model())]
    refused = [r for r in results if r is services.TokenProblem.INVALID]
    assert (len(signed_in), len(refused)) == (1, 2), results


def test_one_account_for_requests_at_once():
    person = PositionFactory().person

    results = run_together(*[lambda: services.member_account(person=person)] * 3)

    assert all(isinstance(r, get_user_model()) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert get_user_model().objects.count() == 1
