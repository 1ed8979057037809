"""Placeholders: a whitelist, filled for each recipient; the HTML part built from the text."""

import pytest
from django.utils import translation

from anso.links import absolute_url
from meetings.invitations.models import Mailing, MailingKind, MailingRecipient
from meetings.invitations.services import mailing_render
from meetings.invitations.templating import (
    ANNOUNCEMENT_PLACEHOLDERS,
    PLACEHOLDERS,
    TemplateError,
    html_from_text,
    template_check,
    template_fill,
)
from members.announcements import unsubscribe_path
from tests.factories import PersonFactory

ALL = frozenset(PLACEHOLDERS)


def test_template_fill_replaces_placeholders_and_keeps_doubled_braces():
    text = "Dear {name}, {{not a placeholder}} {link}"
    template_check(text, allowed=ALL)
    assert template_fill(text, {"name": "Dr. Amina", "link": "https://x/y"}) == (
        "Dear Dr. Amina, {not a placeholder} https://x/y"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Dear {nme}",  # unknown
        "Dear {name.__class__}",  # attribute access
        "Dear {name[0]}",  # index
        "Dear {name!r}",  # conversion
        "Dear {name:>20}",  # format spec
        "Dear {0}",  # positional
        "Dear {}",  # empty
    ],
)
def test_template_check_refuses_anything_but_the_whitelist(text):
    with pytest.raises(TemplateError):
        template_check(text, allowed=ALL)


@pytest.mark.parametrize("text", ["Dear {name", "Dear name}", "{{name}"])
def test_template_check_refuses_malformed_braces(text):
    with pytest.raises(TemplateError):
        template_check(text, allowed=ALL)


def test_announcement_may_not_use_the_link():
    with pytest.raises(TemplateError, match="cannot be used"):
        template_check("Register: {link}", allowed=ANNOUNCEMENT_PLACEHOLDERS)


def test_html_part_escapes_the_text_keeps_paragraphs_and_makes_links():
    html = html_from_text("Dear <b>you</b> & co,\n\nSee https://example.org/a?b=1&c=2\nBye")
    assert "&lt;b&gt;you&lt;/b&gt; &amp; co" in html
    assert "<b>" not in html
    assert html.count("<p>") == 2
    assert '<a href="https://example.org/a?b=1&amp;c=2">' in html
    assert "<br>" in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_announcements_unsubscribe_address_is_a_link_in_both_languages(language):
    """The Chinese footer glued the address to a full-width colon (U+FF1A, then "http://..."),
    which the linkifier left as text: the HTML part makes the link in its template, and the
    text part puts the address on a line of its own."""
    person = PersonFactory()
    mailing = Mailing.objects.create(
        kind=MailingKind.ANNOUNCEMENT,
        subject_en="News",
        body_en="Dear {name}",
        subject_zh_hans="通知",
        body_zh_hans="尊敬的{name}",
    )
    recipient = MailingRecipient.objects.create(
        mailing=mailing, person=person, address=person.email, language=language
    )
    mail = mailing_render(mailing=mailing, recipient=recipient)
    with translation.override(language):
        url = absolute_url(unsubscribe_path(person=person))
    assert f'<a href="{url}"' in mail.html
    assert f"\n{url}\n" in mail.body
