"""Content in two languages: which language a translated field's shown value is in.

The translated fields themselves are django-modeltranslation's (each app's `translation.py`):
reading `meeting.title` gives the active language's value, or the English one where the
Chinese is missing. A page that shows such a fallback marks the element `lang="en"`, so that
screen readers, browsers' hyphenation and search engines read it as English: `fallback_lang`
says whether it must, `{% lang_of obj "field" %}` (anso/templatetags/site_tags.py) writes the
attribute (`lang_attribute`)."""

import re

from django.conf import settings
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname

#: The language every translated field falls back to (MODELTRANSLATION_DEFAULT_LANGUAGE).
DEFAULT_LANGUAGE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def active_language() -> str:
    """The active language as one of LANGUAGES' codes ("zh-hans"), the default language when
    none of them is active."""
    language = (get_language() or DEFAULT_LANGUAGE).lower()
    codes = [code for code, _name in settings.LANGUAGES]
    if language in codes:
        return language
    base = language.split("-")[0]
    return next((code for code in codes if code.split("-")[0] == base), DEFAULT_LANGUAGE)


def localized_columns(field: str) -> tuple[str, str]:
    """The columns of `field` in the active language and in the default language (the same
    column twice when the active language is the default): ("title_zh_hans", "title_en")."""
    return (
        build_localized_fieldname(field, active_language()),
        build_localized_fieldname(field, DEFAULT_LANGUAGE),
    )


def language_columns(field: str) -> tuple[str, ...]:
    """The columns of `field` in every language, in LANGUAGES' order, for reads that fetch
    plain values (`values_list`): ("title_en", "title_zh_hans"). `shown_in_language` picks
    the one to show."""
    return tuple(build_localized_fieldname(field, code) for code, _name in settings.LANGUAGES)


def shown_in_language(values) -> tuple[str, str | None]:
    """From a field's values in every language (as `language_columns` lists them), the one the
    active language shows and the language to mark it with (`shown_value`)."""
    by_language = dict(zip((code for code, _name in settings.LANGUAGES), values, strict=True))
    return shown_value(by_language.get(active_language()), by_language.get(DEFAULT_LANGUAGE))


def language_picker():
    """`shown_in_language` for many rows of one read: the positions of the active and the
    default language are found once (a programme has thousands of texts)."""
    codes = [code for code, _name in settings.LANGUAGES]
    own_at, default_at = codes.index(active_language()), codes.index(DEFAULT_LANGUAGE)
    mark = DEFAULT_LANGUAGE if own_at != default_at else None

    def shown(values) -> tuple[str, str | None]:
        own = values[own_at]
        if own:
            return own, None
        default = values[default_at]
        return default or "", mark if default else None

    return shown


def shown_value(own: str | None, default: str | None) -> tuple[str, str | None]:
    """The value a page shows from a field's active-language and default-language values, and
    the language to mark it with when that is a fallback (None when it is not)."""
    if own:
        return own, None
    if default and active_language() != DEFAULT_LANGUAGE:
        return default, DEFAULT_LANGUAGE
    return default or "", None


def fallback_lang(obj, field: str) -> str | None:
    """The language of `obj.<field>` as the active language shows it, when that is a fallback
    (the Chinese value is missing and the English one is shown); None otherwise."""
    if obj is None:
        return None
    own, default = localized_columns(field)
    return shown_value(getattr(obj, own, None), getattr(obj, default, None))[1]


class MarkedText(str):
    """A text, with the language to mark its element with when that is not the page's (a
    fallback), as `lang`. A plain string to everything else: JSON writes the text alone."""

    lang: str | None

    def __new__(cls, value: str, lang: str | None = None):
        text = super().__new__(cls, value)
        text.lang = lang
        return text


def marked_text(obj, field: str) -> MarkedText:
    """`obj.<field>` as the active language shows it, marked `en` when that is the English
    fallback of a missing Chinese value."""
    own, default = localized_columns(field)
    return MarkedText(*shown_value(getattr(obj, own, None), getattr(obj, default, None)))


_CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


def typed_text(value: str | None) -> MarkedText | None:
    """A text kept in one column as someone typed it (a job title, a name, a comment): marked
    `en` on a page in another language when it is written in Latin letters without Chinese
    characters; unmarked otherwise (Chinese text, a number, an English page)."""
    if value is None:
        return None
    latin = bool(_LATIN.search(value)) and not _CHINESE.search(value)
    return MarkedText(value, english_lang() if latin else None)


def english_lang() -> str | None:
    """The language to mark a text kept in English only (a speaker's capacity, a name's Latin
    form: fields with no column per language) with, on a page in another language; None on an
    English page."""
    return None if active_language() == DEFAULT_LANGUAGE else DEFAULT_LANGUAGE


def lang_attribute(language: str | None) -> SafeString:
    """` lang="en"` for a fallback's element, "" for text in the page's language."""
    return format_html(' lang="{}"', language) if language else SafeString()


class SavedInEnglish:
    """A model with translated fields whose original columns (`name`, `title`) always hold the
    English text, whichever language is active when it is saved.

    django-modeltranslation reads and writes the per-language columns; the original column is
    written from the value the active language shows. Saving in English keeps it the English
    text, so that what reads it directly stays right in every language: lookups across a
    relation from a model without translations (`meeting__title`), database constraints
    (`Lower("name")`), the unique index."""

    def save(self, *args, **kwargs):
        with translation.override(DEFAULT_LANGUAGE):
            super().save(*args, **kwargs)
