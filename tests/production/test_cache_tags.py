"""Which cached pages each kind of write renews, and which stay cached (anso/caching/tags.py).

One small alliance: two member organizations (X, Y), a contact person of X (P) who attended
the 1st meeting (A), a participant from Y (Q) at the 2nd (C), where an action of the plan was
presented, and a meeting open for registration (D). Every public page is cached, a write is
made the way the Secretariat or a visitor makes it, and the pages are read again: those
answered from the cache stayed, the others were renewed.
"""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from anso.caching import tags as cache_tags
from anso.caching.pages import PAGE_PREFIX, RENEW_SECONDS, _key
from anso.caching.tags import ANY, rule_for
from meetings.attendance.models import Participation, ParticipationStatus
from meetings.attendance.resources import ParticipantResource
from members.models import Person
from tests.admin_helpers import admin_post
from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    MeetingFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
    PositionFactory,
    RegistrationWindowFactory,
)
from tests.meetings.test_imports import dataset
from tests.meetings.test_registration import form_data as registration_data
from tests.meetings.test_registration import register_url
from tests.members.test_nomination_views import form_data as nomination_data
from tests.redis_server import require_redis
from tests.test_permission_matrix import requests_to_make, samples  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def _ical(meeting) -> str:
    return reverse(
        "meetings:meeting_ical", kwargs={"year": meeting.start_date.year, "slug": meeting.slug}
    )


@pytest.fixture
def alliance(page_cache):
    x = OrganizationFactory(name="Institute X")
    y = OrganizationFactory(name="Institute Y")
    p = PositionFactory(person=PersonFactory(organization=x, family_name="Pereira")).person
    q = PersonFactory(organization=y, family_name="Quispe")
    a = MeetingFactory(number=1, body=PositionFactory._meta.model.objects.get().body)
    c = MeetingFactory(number=2, body=a.body, start_date=datetime.date(2020, 5, 13),
                       end_date=datetime.date(2020, 5, 14))  # fmt: skip
    action = ActionFactory(title="Shared observatory")
    AgendaItemFactory(session__meeting=c, session__chair=q, action=action)
    participation_p = ParticipationFactory(
        meeting=a, person=p, status=ParticipationStatus.REGISTERED
    )
    participation_q = ParticipationFactory(
        meeting=c, person=q, status=ParticipationStatus.REGISTERED
    )
    d = RegistrationWindowFactory().meeting
    pages = {
        "home": reverse("home"),
        "meetings": reverse("meetings:meeting_list"),
        "calendar": reverse("meetings:meeting_calendar"),
        "meeting A": a.get_absolute_url(),
        "meeting A ical": _ical(a),
        "meeting C": c.get_absolute_url(),
        "meeting D": d.get_absolute_url(),
        "action plan": reverse("meetings:action_list"),
        "action": action.get_absolute_url(),
        "working group": reverse("members:working_group"),
        "organizations": reverse("members:organization_list"),
        "organization X": x.get_absolute_url(),
        "organization Y": y.get_absolute_url(),
        "person P": p.get_absolute_url(),
        "person Q": q.get_absolute_url(),
        "sitemap": reverse("sitemap"),
    }
    return {
        "x": x, "y": y, "p": p, "q": q, "a": a, "c": c, "d": d, "action": action,
        "participation_p": participation_p, "participation_q": participation_q, "pages": pages,
    }  # fmt: skip


def _cache_all(pages) -> None:
    for label, url in pages.items():
        visitor = Client()
        assert visitor.get(url).status_code == 200, label
        assert visitor.get(url)["X-Page-Cache"] == "hit", label


def renewed_by(pages, write) -> set[str]:
    """The pages a write renews: cached before, not answered from the cache after."""
    _cache_all(pages)
    write()
    return {label for label, url in pages.items() if Client().get(url)["X-Page-Cache"] != "hit"}


def everything_but(pages, *labels) -> set[str]:
    return set(pages) - set(labels)


def admin_change(client, obj, **changes):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: form[name].value() for name in form.fields if form[name].value() not in (None, False)
    }
    response = admin_post(client, url, {**data, **changes})
    assert response.status_code == 302, response.context["adminform"].form.errors


@pytest.fixture
def staff(superuser):
    client = Client()
    client.force_login(superuser)
    return client


def test_a_check_in_renews_its_meeting_the_person_and_the_organization(alliance, staff):
    meeting, participation = alliance["a"], alliance["participation_p"]
    url = reverse(
        "meetings:check_in_toggle",
        kwargs={"year": meeting.start_date.year, "slug": meeting.slug, "pk": participation.pk},
    )

    def check_in():
        response = staff.post(url, {"action": "check_in"}, headers={"X-Requested-With": "fetch"})
        assert response.status_code == 200

    assert renewed_by(alliance["pages"], check_in) == {"meeting A", "person P", "organization X"}
    page = Client().get(alliance["pages"]["meeting A"])
    assert b"Pereira" in page.content  # attended now: listed among the participants


def test_a_registration_renews_its_meeting_and_the_organization_only(alliance):
    meeting, y = alliance["d"], alliance["y"]

    def register():
        response = Client().post(register_url(meeting), registration_data(organization=y.pk))
        assert response.status_code == 302

    assert renewed_by(alliance["pages"], register) == {"meeting D", "organization Y"}


def test_a_nomination_renews_nothing_until_it_is_approved(alliance):
    def nominate():
        response = Client().post(
            reverse("members:nomination_create"), nomination_data(alliance["x"])
        )
        assert response.status_code == 302

    assert renewed_by(alliance["pages"], nominate) == set()


def test_an_admin_edit_of_an_organization_renews_the_pages_that_name_it(alliance, staff):
    def rename():
        admin_change(staff, alliance["x"], name_en="Institute X Renamed")

    pages = alliance["pages"]
    assert renewed_by(pages, rename) == {
        "home", "organizations", "working group", "sitemap", "organization X",
        "meeting A", "person P",
    }  # fmt: skip
    assert b"Institute X Renamed" in Client().get(pages["person P"]).content


def test_an_admin_edit_of_a_person_renews_the_pages_that_name_them(alliance, staff):
    def rename():
        admin_change(staff, alliance["q"], family_name="Quispe-Mamani")

    pages = alliance["pages"]
    # Q chaired the session of C where the action was presented.
    assert renewed_by(pages, rename) == {"person Q", "meeting C"}
    assert b"Quispe-Mamani" in Client().get(pages["meeting C"]).content


def test_a_save_that_changes_nothing_renews_nothing(alliance, staff):
    assert renewed_by(alliance["pages"], lambda: admin_change(staff, alliance["p"])) == set()


def test_an_admin_edit_of_a_meeting_renews_the_pages_that_list_meetings(alliance, staff):
    def move():
        admin_change(staff, alliance["c"], venue_en="Kunming Science Hall")

    pages = alliance["pages"]
    assert renewed_by(pages, move) == everything_but(
        pages, "meeting A", "meeting D", "working group", "organizations"
    )
    assert b"Kunming Science Hall" in Client().get(pages["meeting C"]).content


def test_a_bulk_action_renews_the_pages_of_the_rows_it_changed(alliance, staff):
    participation = alliance["participation_q"]

    def mark_attended():
        response = staff.post(
            reverse("admin:meetings_participation_changelist"),
            {"action": "mark_attended", "_selected_action": [participation.pk]},
        )
        assert response.status_code == 302

    assert renewed_by(alliance["pages"], mark_attended) == {
        "meeting C", "person Q", "organization Y",
    }  # fmt: skip
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.ATTENDED


def test_an_import_renews_the_meeting_it_fills(alliance):
    def import_participants():
        result = ParticipantResource().import_data(dataset("participants.csv"), dry_run=False)
        assert not result.has_errors()

    assert renewed_by(alliance["pages"], import_participants) == {"meeting A"}
    assert Participation.objects.filter(meeting=alliance["a"]).count() == 4


def test_a_deleted_participation_renews_its_pages(alliance):
    def delete():
        Participation.objects.filter(pk=alliance["participation_q"].pk).delete()

    assert renewed_by(alliance["pages"], delete) == {"meeting C", "person Q", "organization Y"}


def test_a_participation_moved_to_another_person_renews_both_people(alliance):
    participation = alliance["participation_q"]

    def move():
        participation.person = alliance["p"]
        participation.save()

    renewed = renewed_by(alliance["pages"], move)
    assert {"person P", "person Q", "meeting C"} <= renewed
    assert "meeting A" not in renewed


# --- every way in -----------------------------------------------------------------------------


def test_every_model_of_the_project_has_a_rule():
    from django.apps import apps

    missing = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in cache_tags.project_app_labels() and rule_for(model) is None
    ]
    assert missing == [], f"say which pages these models show (app/cache_tags.py): {missing}"


def test_every_cached_public_page_declares_what_it_shows(samples, page_cache):  # noqa: F811
    """A page that declares nothing is renewed by every write: each public page of the
    URLconf that the cache stores says which records it shows (`page_shows`)."""
    undeclared, stored = [], 0
    for label, url, expected in requests_to_make(samples):
        if expected.get("anonymous") != 200:
            continue
        response = Client().get(url)
        if response.get("X-Page-Cache") != "miss":
            continue  # not stored: a form with its CSRF cookie, a page with a nonce
        stored += 1
        if ANY in response.page_tags:
            undeclared.append(label)
    assert stored >= 10
    assert undeclared == [], f"declare with anso.caching.pages.page_shows(): {undeclared}"


# --- no stampede ------------------------------------------------------------------------------


def test_while_one_worker_renews_a_page_the_others_serve_the_previous_copy(alliance, rf):
    url = alliance["pages"]["organization X"]
    Client().get(url)
    Person.objects.filter(pk=alliance["p"].pk).update(family_name="Pereira-Lima")
    cache_tags.changed(Person, [alliance["p"]])  # an update() sends no signal

    # Another worker holds the renewal lock of the page: the previous copy is served.
    request = rf.get(url)
    request.LANGUAGE_CODE = "en"
    lock = f"anso:renewing:{_key(request)}"
    assert cache.add(lock, 1, timeout=RENEW_SECONDS)
    stale = Client().get(url)
    assert stale["X-Page-Cache"] == "stale"
    assert b"Pereira-Lima" not in stale.content

    cache.delete(lock)  # its render done (or the lock expired): the next request renders
    fresh = Client().get(url)
    assert fresh["X-Page-Cache"] == "miss"
    assert b"Pereira-Lima" in fresh.content
    assert Client().get(url)["X-Page-Cache"] == "hit"
    assert cache.get(PAGE_PREFIX + _key(request)) is not None


def test_a_renewal_never_moves_a_tag_back_in_redis(settings):
    """Two workers renew the same tag; the slower one, with the earlier time, must not
    overwrite the later renewal (the Redis cache of production, atomically)."""
    import uuid

    url = require_redis(0)

    from django.core.cache import caches

    settings.CACHES = {
        **settings.CACHES,
        "versions": {
            "BACKEND": "anso.caching.backends.FailSoftRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"anso-test-{uuid.uuid4().hex}",
        },
    }
    versions = caches["versions"]
    try:
        versions.set_many_at_least({"anso:tag:t": 7, "anso:tag:u": 3})
        versions.set_many_at_least({"anso:tag:t": 5, "anso:tag:u": 9})
        assert versions.get_many(["anso:tag:t", "anso:tag:u"]) == {
            "anso:tag:t": 7,
            "anso:tag:u": 9,
        }
    finally:
        versions.delete_many(["anso:tag:t", "anso:tag:u"])


def test_renew_pages_after_a_restore_makes_every_cached_page_stale(alliance):
    from django.core.management import call_command

    pages = alliance["pages"]
    assert renewed_by(pages, lambda: call_command("renew_pages", verbosity=0)) == set(pages)
