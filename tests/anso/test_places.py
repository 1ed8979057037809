"""A place in the active language's order: "Beijing, China" in English, "中国北京" in Chinese."""

from django.utils import translation
from django_countries.fields import Country

from anso.text.places import place_parts, place_text


def test_english_goes_from_the_venue_to_the_country_with_commas():
    with translation.override("en"):
        assert place_text(city="Beijing", country=Country("CN")) == "Beijing, China"
        assert (
            place_text(venue="Ya'ao International Hotel", city="Beijing", country=Country("CN"))
            == "Ya'ao International Hotel, Beijing, China"
        )
        assert place_text(city="Beijing") == "Beijing"
        assert place_text(country=Country("KE")) == "Kenya"
        assert place_text() == ""


def test_chinese_goes_from_the_country_to_the_venue_without_separators():
    with translation.override("zh-hans"):
        assert place_text(city="北京", country=Country("CN")) == "中国北京"
        assert place_text(venue="雅奥国际酒店", city="北京", country=Country("CN")) == (
            "中国北京雅奥国际酒店"
        )
        # A part in Latin letters (an English fallback) is set apart by a space.
        assert place_text(city="Nairobi", country=Country("KE")) == "肯尼亚 Nairobi"
        assert place_text(venue="Ya'ao International Hotel", city="北京", country="中国") == (
            "中国北京 Ya'ao International Hotel"
        )


def test_parts_carry_the_language_of_an_english_fallback():
    with translation.override("zh-hans"):
        parts = place_parts(city="Nairobi", country=Country("KE"), city_lang="en")
    assert [(part.before, part.text, part.lang) for part in parts] == [
        ("", "肯尼亚", None),
        (" ", "Nairobi", "en"),
    ]
