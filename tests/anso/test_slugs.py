"""Slugs are readable in every script: romanized, never a bare "item" or a hash."""

import pytest
from django.utils import translation

from anso.text.slugs import readable_slug

from ..factories import ActionFactory, BodyFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "slug"),
    [
        ("Jinghua Cao", "jinghua-cao"),
        ("曹京华", "cao-jing-hua"),
        ("Université de Genève", "universite-de-geneve"),
        ("Байкал", "baykal"),
        ("김민수", "gim-min-su"),
        ("!!!", ""),
    ],
)
def test_readable_slug(value, slug):
    assert readable_slug(value) == slug


def test_person_with_a_latin_name_and_a_chinese_one_gets_the_latin_slug():
    person = PersonFactory(given_name="Jinghua", family_name="Cao", name_original="曹京华")
    assert person.slug == "jinghua-cao"


def test_person_known_only_in_chinese_gets_a_romanized_slug():
    """The issue's case: a Chinese name typed into the family-name field used to give
    /people/item/."""
    first = PersonFactory(given_name="", family_name="曹京华")
    second = PersonFactory(given_name="", family_name="曹京华")
    assert first.slug == "cao-jing-hua"
    assert second.slug == "cao-jing-hua-2"
    assert first.get_absolute_url().endswith("/cao-jing-hua/")


def test_organization_body_and_action_slugs_in_chinese():
    organization = OrganizationFactory(name="中国科学院", short_name="")
    assert organization.slug == "zhong-guo-ke-xue-yuan"
    assert BodyFactory(name="ANSO工作组").slug == "anso-gong-zuo-zu"
    assert ActionFactory(title="开放科学与数据共享").slug == "kai-fang-ke-xue-yu-shu-ju-gong-xiang"


def test_slug_comes_from_the_english_name_whatever_the_active_language():
    with translation.override("zh-hans"):
        organization = OrganizationFactory(short_name="")
        organization.name_zh_hans = "中国科学院"
        organization.slug = ""
        organization.name_en = "Chinese Academy of Sciences"
        organization.save()
    assert organization.slug == "chinese-academy-of-sciences"


def test_a_name_with_no_letters_gets_the_model_name():
    assert PersonFactory(given_name="", family_name="???").slug == "person"
