"""A form sent back with errors says so at the top and on each field, for keyboard and
screen-reader users too: the summary (templates/includes/error_summary.html) names the fields
in error, in the page's order, with links to them; each control in error is
`aria-invalid="true"` and described by its error text; the first has `autofocus`. The
nomination and the registration, in both languages. The browser walk is in
tests/browser/test_keyboard_forms.py."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from tests.factories import BodyFactory, OrganizationFactory, RegistrationWindowFactory

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    """Every element's attributes by id, and the text and links of the error summary."""

    def __init__(self, html: str):
        super().__init__()
        self.by_id: dict[str, dict[str, str | None]] = {}
        self.with_autofocus: list[str] = []
        self.summary_text = ""
        self.summary_links: list[str] = []
        self._summary_depth = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.by_id[attributes["id"]] = attributes
        if "autofocus" in attributes:
            self.with_autofocus.append(attributes.get("id", ""))
        if self._summary_depth:
            if tag == "div":
                self._summary_depth += 1
            if tag == "a":
                self.summary_links.append(attributes.get("href", ""))
        elif attributes.get("id") == "error-summary":
            self._summary_depth = 1

    def handle_endtag(self, tag):
        if self._summary_depth and tag == "div":
            self._summary_depth -= 1

    def handle_data(self, data):
        if self._summary_depth:
            self.summary_text += data


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def nomination_url() -> str:
    return reverse("members:nomination_create")


def registration_url() -> str:
    meeting = RegistrationWindowFactory(capacity=40).meeting
    return reverse(
        "meetings:registration_create",
        kwargs={"year": meeting.start_date.year, "slug": meeting.slug},
    )


# The fields an empty form has in error, in the page's order, with the control each link
# moves to: a group of radio buttons is reached by its first button.
NOMINATION_ERRORS = [
    ("organization", "id_organization"),
    ("kind", "id_kind_0"),
    ("family_name", "id_family_name"),
    ("name_order", "id_name_order"),
    ("email", "id_email"),
    ("job_title", "id_job_title"),
    ("country", "id_country"),
    ("submitter_name", "id_submitter_name"),
    ("submitter_email", "id_submitter_email"),
    ("submitter_role", "id_submitter_role"),
]
REGISTRATION_ERRORS = [
    ("family_name", "id_family_name"),
    ("email", "id_email"),
    # Not required in itself: the list or the typed name below (RegistrantForm.clean).
    ("organization", "id_organization"),
    ("country", "id_country"),
    ("capacity", "id_capacity"),
]

HEADINGS = {"en": "The form was not sent", "zh-hans": "表单未能提交"}
LABELS = {
    "en": {"organization": "Member organization", "family_name": "Family name"},
    "zh-hans": {"organization": "成员组织", "family_name": "姓"},
}


def post_empty(client, language: str, make_url) -> Page:
    with translation.override(language):
        url = make_url()
    assert url.startswith(f"/{language}/")
    response = client.post(url, {})
    assert response.status_code in (200, 400)
    return Page(response.content.decode())


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(
    ("make_url", "expected"),
    [(nomination_url, NOMINATION_ERRORS), (registration_url, REGISTRATION_ERRORS)],
    ids=["nomination", "registration"],
)
def test_form_errors_summary_and_fields_are_marked(client, language, make_url, expected):
    BodyFactory()
    OrganizationFactory()
    page = post_empty(client, language, make_url)

    summary = page.by_id["error-summary"]
    assert summary["role"] == "alert"
    assert summary["tabindex"] == "-1"
    assert HEADINGS[language] in page.summary_text
    assert page.summary_links == [f"#{target}" for _name, target in expected]

    for _name, target in expected:
        control = page.by_id[target]
        assert control["aria-invalid"] == "true", target
        error_id = target.removesuffix("_0") + "_error"
        assert error_id in page.by_id, target
        if target.endswith("_0"):
            # A group's description is on its fieldset (crispy-forms), read with the legend.
            assert "required" in control
        else:
            assert error_id in control["aria-describedby"].split(), target
            if target != "id_organization" or expected is NOMINATION_ERRORS:
                assert control["aria-required"] == "true", target

    # Without scripts the focus still lands on the first field in error, and only there.
    assert page.with_autofocus == [expected[0][1]]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_form_errors_summary_names_the_fields_in_the_language(client, language):
    BodyFactory()
    OrganizationFactory()
    page = post_empty(client, language, nomination_url)
    for label in LABELS[language].values():
        assert label in page.summary_text


def test_form_errors_summary_absent_on_a_fresh_form(client):
    BodyFactory()
    page = Page(client.get(nomination_url()).content.decode())
    assert "error-summary" not in page.by_id
    assert page.with_autofocus == []
    assert "aria-invalid" not in page.by_id["id_family_name"]
    # Required fields are marked to assistive technology before any error, too.
    assert page.by_id["id_family_name"]["aria-required"] == "true"


def test_form_errors_summary_lists_only_the_fields_still_wrong(client):
    """A form partly right: the summary and the autofocus move to what is left."""
    BodyFactory()
    OrganizationFactory()
    with translation.override("en"):
        url = registration_url()
    response = client.post(
        url,
        {
            "family_name": "Okafor",
            "email": "not-an-address",
            "organization_name": "Lagos Institute of Sample Studies",
            "country": "NG",
            "capacity": "expert",
        },
    )
    page = Page(response.content.decode())
    assert page.summary_links == ["#id_email"]
    assert "Enter a valid email address." in page.summary_text
    assert page.with_autofocus == ["id_email"]
    assert page.by_id["id_family_name"].get("aria-invalid") is None


ADMIN_TEMPLATES = Path(settings.BASE_DIR) / "templates" / "admin"
FORM_TAG = re.compile(r"<form\b[^>]*>")


@pytest.mark.parametrize(
    "template",
    sorted(
        p
        for p in ADMIN_TEMPLATES.rglob("*.html")
        if ".errors }}" in p.read_text() and "import_export" not in p.parts
    ),
    ids=lambda p: str(p.relative_to(ADMIN_TEMPLATES)),
)
def test_the_admin_s_own_forms_are_checked_by_the_site(template):
    """A page of the admin's own (a reason to give, a decision to pick) is checked by the site,
    not the browser, whose message would be in its own language and not the admin's: the form
    is `novalidate`, and a form sent back says so at the top, as the admin's change forms do,
    or names the fields in the site's error summary (the field takes the focus: the forms
    carry ErrorSummaryFormMixin). The export page is
    django-import-export's own, copied with one change, and left as the library writes it."""
    text = template.read_text()
    (form,) = FORM_TAG.findall(text)
    assert "novalidate" in form
    assert (
        'class="errornote" role="alert"' in text
        or '{% include "includes/error_summary.html" %}' in text
    )
