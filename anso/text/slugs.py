import unicodedata

from anyascii import anyascii
from django.utils.text import slugify

#: Scripts written without spaces between words, whose characters are syllables: each is
#: romanized as a word of its own ("曹京华" -> "cao-jing-hua", not "caojinghua").
_SYLLABIC_SCRIPTS = ("CJK UNIFIED", "CJK COMPATIBILITY", "HANGUL", "HIRAGANA", "KATAKANA")


def romanize(value: str) -> str:
    """`value` in Latin letters: Chinese, Japanese and Korean syllables become words of their
    own, every other letter its closest ASCII form (anyascii)."""
    parts = []
    for char in value:
        if ord(char) < 128:
            parts.append(char)
            continue
        latin = anyascii(char)
        if unicodedata.name(char, "").startswith(_SYLLABIC_SCRIPTS):
            latin = f" {latin} "
        parts.append(latin)
    return " ".join("".join(parts).split())


def readable_slug(value: str, *, max_length: int = 80) -> str:
    """A slug read aloud as the value: "Jinghua Cao" -> "jinghua-cao", "曹京华" ->
    "cao-jing-hua", "Université" -> "universite". Empty when nothing in `value` has a Latin
    form."""
    return slugify(romanize(value))[:max_length].strip("-")


def unique_slug(instance, value: str, *, field: str = "slug", max_length: int = 80) -> str:
    """A readable slug for `value` that no other row of the instance's model uses.

    Appends -2, -3, ... on collision. The unique constraint on the field stays the guarantee;
    this only picks a free value for the common case. A value with no letters at all (only
    punctuation) takes the model's name ("person", "organization").
    """
    base = readable_slug(value, max_length=max_length) or slugify(type(instance)._meta.model_name)
    model = type(instance)
    others = model._default_manager.exclude(pk=instance.pk)
    candidate, n = base, 2
    while others.filter(**{field: candidate}).exists():
        suffix = f"-{n}"
        candidate = f"{base[: max_length - len(suffix)]}{suffix}"
        n += 1
    return candidate
