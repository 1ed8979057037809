"""Text with no Chinese column (a speaker's capacity, a position's title, a name's Latin form)
is marked English on a Chinese page; lists built from the language (countries) are built in
the page's language, not once in English when the module loads."""

import pytest
from django.template import Context, Template
from django.utils import translation

from meetings.attendance.forms import RegistrationForm, WalkInForm

MARKED = Template("{% load site_tags %}<span{% lang_english %}>Executive Director</span>")


def test_english_only_text_is_marked_on_a_chinese_page_only():
    with translation.override("zh-hans"):
        assert MARKED.render(Context()) == '<span lang="en">Executive Director</span>'
    with translation.override("en"):
        assert MARKED.render(Context()) == "<span>Executive Director</span>"


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", [RegistrationForm, WalkInForm])
def test_the_registration_forms_name_the_countries_in_the_page_language(form_class):
    for language, china, first in [("zh-hans", "中国", "请选择国家或地区"), ("en", "China", None)]:
        with translation.override(language):
            choices = list(form_class().fields["country"].choices)
            assert dict(choices)["CN"] == china
            if first:
                assert choices[0] == ("", first)
