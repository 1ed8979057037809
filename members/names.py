"""A person's name: the fields every record of a person carries (a Person, a nominee) and the
one rule that puts them together for display.

A name has its Latin form (given and family name, in the person's order) and, optionally, its
form in the person's own script ("曹京华"), written as it is written there. Chinese pages show the
original form where there is one, English pages the Latin form; lists sort by the Latin form.
Honorifics follow the page's language: "Prof. Jinghua Cao", "曹京华教授"."""

from django.db import models
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from anso.text.hygiene import OneLineCharField


class NameOrder(models.TextChoices):
    GIVEN_FIRST = "given_first", _("given name first (Yin Li)")
    FAMILY_FIRST = "family_first", _("family name first (Li Yin)")


#: The honorifics a Chinese page writes after the name, keyed by the English form as the
#: Secretariat types it (case and the final dot do not matter). An honorific not listed keeps
#: its English form, before the name.
CHINESE_HONORIFICS = {
    "prof": "教授",
    "professor": "教授",
    "academician": "院士",
    "dr": "博士",
    "mr": "先生",
    "ms": "女士",
    "mrs": "女士",
    "miss": "女士",
    "madam": "女士",
}


def _is_chinese(language: str | None) -> bool:
    return (language or "").lower().startswith("zh")


def honorific_suffix(honorific: str, language: str | None) -> str | None:
    """The honorific as a page in `language` writes it after the name ("教授"), or None when
    that language puts it before the name (English) or has no form of its own for it."""
    if not _is_chinese(language):
        return None
    return CHINESE_HONORIFICS.get(honorific.strip().rstrip(".").lower())


class PersonName(models.Model):
    """Honorific, given and family name, the order the names are written in, and the name in
    the person's own script."""

    honorific = OneLineCharField(
        _("honorific"), max_length=20, blank=True, help_text=_("e.g. Prof., Dr., Ms.")
    )
    given_name = OneLineCharField(_("given name"), max_length=100, blank=True)
    family_name = OneLineCharField(
        _("family name"),
        max_length=100,
        help_text=_("For a person known by one name only, put it here."),
    )
    name_order = models.CharField(
        _("name order"), max_length=16, choices=NameOrder, default=NameOrder.GIVEN_FIRST
    )
    name_original = OneLineCharField(
        _("name in original script"),
        max_length=100,
        blank=True,
        help_text=_(
            "The full name as written in the person's own script, e.g. 曹京华 (family name "
            "first, as written in Chinese). Given and family name above stay in Latin letters."
        ),
    )

    class Meta:
        abstract = True

    @property
    def full_name(self) -> str:
        """The Latin names in the person's order, without the honorific."""
        return full_name(self.given_name, self.family_name, self.name_order)

    @property
    def display_name(self) -> str:
        """The name as every page, list and mail shows it, in the active language: honorific
        and full name."""
        return display_name(
            self.honorific,
            self.given_name,
            self.family_name,
            self.name_order,
            self.name_original,
        )

    @property
    def name_in_other_script(self) -> str:
        """The form of the name the display name does not show, for a page that gives both
        ("曹京华教授 · Jinghua Cao", "Prof. Jinghua Cao · 曹京华"); empty for a person with a
        Latin name only."""
        if not self.name_original:
            return ""
        return self.full_name if _is_chinese(get_language()) else self.name_original


def full_name(given_name: str, family_name: str, name_order: str) -> str:
    """The names in the given order, without the honorific."""
    if name_order == NameOrder.FAMILY_FIRST:
        first, second = family_name, given_name
    else:
        first, second = given_name, family_name
    # Written out rather than " ".join(...) of a generator: a long programme names thousands.
    return f"{first} {second}" if first and second else first or second


def display_name(
    honorific: str,
    given_name: str,
    family_name: str,
    name_order: str,
    name_original: str = "",
    *,
    language: str | None = None,
) -> str:
    """The name as every page, list and mail shows it, from the name fields alone (for reads
    that fetch the fields without the record), in `language` (the active one by default).

    English: "Prof. Jinghua Cao". Chinese: the original script where there is one, with the
    honorific after it ("曹京华教授"); a Latin name keeps its form ("Jinghua Cao 教授").
    Written out rather than with joins of generators: a long programme names thousands."""
    honorific = honorific or ""
    language = language or get_language()
    if not (family_name or given_name or name_original):
        # An erased person (members/personal_data/services.py): no name, no initial.
        return gettext("a participant")
    if not _is_chinese(language):
        name = full_name(given_name, family_name, name_order)
        return f"{honorific} {name}" if honorific and name else honorific or name
    name = name_original or full_name(given_name, family_name, name_order)
    suffix = honorific_suffix(honorific, language)
    if suffix:
        separator = "" if name == name_original else " "
        return f"{name}{separator}{suffix}" if name else suffix
    return f"{honorific} {name}" if honorific and name else honorific or name
