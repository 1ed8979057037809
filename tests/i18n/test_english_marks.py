"""Lists built from the language (countries) are built in the page's language, not once in
English when the module loads."""

import pytest
from django.utils import translation

from meetings.attendance.forms import RegistrationForm, WalkInForm


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", [RegistrationForm, WalkInForm])
def test_the_registration_forms_name_the_countries_in_the_page_language(form_class):
    for language, china, first in [("zh-hans", "中国", "请选择国家或地区"), ("en", "China", None)]:
        with translation.override(language):
            choices = list(form_class().fields["country"].choices)
            assert dict(choices)["CN"] == china
            if first:
                assert choices[0] == ("", first)
