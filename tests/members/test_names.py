"""Names in their own script: shown in the page's language with its honorifics, found by
either form, sorted by the Latin form."""

import pytest
from django.urls import reverse
from django.utils import translation

from meetings.attendance.models import ParticipationStatus
from members.models import NameOrder, Person
from members.names import display_name

from ..admin_helpers import get_in_language
from ..factories import MeetingFactory, ParticipationFactory, PersonFactory, PositionFactory

pytestmark = pytest.mark.django_db


def _cao(**values):
    return PersonFactory(
        honorific="Prof.",
        given_name="Jinghua",
        family_name="Cao",
        name_original="曹京华",
        **values,
    )


def test_display_name_in_english_and_in_chinese():
    person = _cao()
    with translation.override("en"):
        assert person.display_name == "Prof. Jinghua Cao"
        assert str(person) == "Prof. Jinghua Cao"
        assert person.name_in_other_script == "曹京华"
    with translation.override("zh-hans"):
        assert person.display_name == "曹京华教授"
        assert person.name_in_other_script == "Jinghua Cao"


@pytest.mark.parametrize(
    ("honorific", "chinese"),
    [("Prof.", "教授"), ("Dr.", "博士"), ("Mr.", "先生"), ("Ms.", "女士"), ("dr", "博士")],
)
def test_honorifics_follow_the_page_language(honorific, chinese):
    assert display_name(honorific, "Jinghua", "Cao", "", "曹京华", language="zh-hans") == (
        f"曹京华{chinese}"
    )
    # A Latin name keeps its form; the honorific is still the page's.
    assert display_name(honorific, "Kwame", "Mensah", "", "", language="zh-hans") == (
        f"Kwame Mensah {chinese}"
    )
    assert display_name(honorific, "Kwame", "Mensah", "", "", language="en") == (
        f"{honorific} Kwame Mensah"
    )


def test_an_honorific_with_no_chinese_form_stays_before_the_name():
    assert display_name("H.E.", "Kwame", "Mensah", "", "", language="zh-hans") == (
        "H.E. Kwame Mensah"
    )


def test_family_name_first_in_latin_letters():
    person = PersonFactory(
        honorific="", given_name="Wei", family_name="Zhang", name_order=NameOrder.FAMILY_FIRST
    )
    assert person.display_name == "Zhang Wei"


def test_people_sort_by_the_latin_form():
    PersonFactory(given_name="Kwame", family_name="Mensah")
    _cao()
    PersonFactory(given_name="Ailikun", family_name="Ailikun", name_original="艾力坤")
    with translation.override("zh-hans"):
        assert [p.family_name for p in Person.objects.all()] == ["Ailikun", "Cao", "Mensah"]


def test_person_page_in_chinese_shows_the_original_script_and_the_latin_form(client):
    person = _cao()
    PositionFactory(person=person)  # a person with no position has no public page
    response = get_in_language(client, "zh-hans", person.get_absolute_url)
    assert response.status_code == 200
    assert "<h1>曹京华教授" in response.text
    assert "Jinghua Cao" in response.text
    response = get_in_language(client, "en", person.get_absolute_url)
    assert "<h1>Prof. Jinghua Cao" in response.text


@pytest.mark.parametrize("query", ["曹京华", "京华", "Jinghua", "cao"])
def test_admin_finds_a_person_by_either_form(secretariat_client, query):
    _cao()
    PersonFactory(given_name="Kwame", family_name="Mensah")
    response = secretariat_client.get(reverse("admin:members_person_changelist"), {"q": query})
    assert [p.family_name for p in response.context["cl"].result_list] == ["Cao"]


@pytest.mark.parametrize("query", ["曹京华", "Jinghua Cao"])
def test_check_in_search_finds_a_person_by_either_form(secretariat_client, query):
    meeting = MeetingFactory()
    ParticipationFactory(meeting=meeting, person=_cao(), status=ParticipationStatus.REGISTERED)
    ParticipationFactory(meeting=meeting, status=ParticipationStatus.REGISTERED)
    url = reverse(
        "meetings:check_in_search",
        kwargs={"year": meeting.start_date.year, "slug": meeting.slug},
    )
    response = secretariat_client.get(url, {"q": query})
    assert response.status_code == 200
    assert response.content.count(b'class="check-in-form"') == 1
