"""A place (a venue, its city, its country or region) written in the active language's order.

English goes from the smallest to the largest, separated by commas: "Ya'ao International
Hotel, Beijing, China". Chinese goes from the largest to the smallest, without separators:
"中国北京雅奥国际酒店"; a part in Latin letters (an English fallback: a city with no Chinese
name) is set apart by a space: "肯尼亚 Nairobi". Every page, the calendar and the mails write a
place through here.

`place_parts` gives the parts in order, each with the text before it and the language to mark
it with (an English fallback on a Chinese page), for the templates (`{% place %}`,
anso/templatetags/site_tags.py); `place_text` the plain text."""

import dataclasses

from django_countries.fields import Country

from .languages import active_language, fallback_lang


@dataclasses.dataclass(frozen=True)
class PlacePart:
    text: str
    #: What is written before the part: a separator, or nothing for the first one.
    before: str = ""
    #: The language to mark the part with ("en" for an English fallback), or None.
    lang: str | None = None


def _chinese_order() -> bool:
    return active_language().startswith("zh")


def _is_latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _chinese_separator(left: str, right: str) -> str:
    """Nothing between two Chinese parts; a space where a Latin word meets another part."""
    return " " if _is_latin(left[-1]) or _is_latin(right[0]) else ""


def place_parts(
    *,
    venue: str = "",
    city: str = "",
    country: Country | str = "",
    venue_lang: str | None = None,
    city_lang: str | None = None,
) -> list[PlacePart]:
    """The non-empty parts of a place in the active language's order, each with the text
    before it. `country` is a country (its name is in the active language) or a name."""
    country_name = str(country.name if isinstance(country, Country) else country)
    parts = [(venue, venue_lang), (city, city_lang), (country_name, None)]
    parts = [(text.strip(), lang) for text, lang in parts if text and text.strip()]
    if _chinese_order():
        parts.reverse()
    placed: list[PlacePart] = []
    for text, lang in parts:
        if not placed:
            before = ""
        elif _chinese_order():
            before = _chinese_separator(placed[-1].text, text)
        else:
            before = ", "
        placed.append(PlacePart(text=text, before=before, lang=lang))
    return placed


def place_of(obj, *, with_venue: bool = False) -> list[PlacePart]:
    """The place of a record with `city` and `country` (and `venue`) fields, translated or
    not: its parts, the English fallbacks marked."""
    return place_parts(
        venue=getattr(obj, "venue", "") if with_venue else "",
        city=getattr(obj, "city", "") or "",
        country=getattr(obj, "country", "") or "",
        venue_lang=fallback_lang(obj, "venue") if with_venue else None,
        city_lang=fallback_lang(obj, "city"),
    )


def place_text(**kwargs) -> str:
    """The place as plain text (a calendar's location, a mail): `place_parts`' arguments."""
    return "".join(part.before + part.text for part in place_parts(**kwargs))
