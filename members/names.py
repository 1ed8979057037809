"""A person's name: the fields every record of a person carries (a Person, a nominee) and the
one rule that puts them together for display."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NameOrder(models.TextChoices):
    GIVEN_FIRST = "given_first", _("given name first (Yin Li)")
    FAMILY_FIRST = "family_first", _("family name first (Li Yin)")


class PersonName(models.Model):
    """Honorific, given and family name, and the order the names are written in."""

    honorific = models.CharField(
        _("honorific"), max_length=20, blank=True, help_text=_("e.g. Prof., Dr., Ms.")
    )
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    family_name = models.CharField(
        _("family name"),
        max_length=100,
        help_text=_("For a person known by one name only, put it here."),
    )
    name_order = models.CharField(
        _("name order"), max_length=16, choices=NameOrder, default=NameOrder.GIVEN_FIRST
    )

    class Meta:
        abstract = True

    @property
    def full_name(self) -> str:
        """The names in the person's order, without the honorific."""
        return full_name(self.given_name, self.family_name, self.name_order)

    @property
    def display_name(self) -> str:
        """The name as every page, list and mail shows it: honorific and full name."""
        return display_name(self.honorific, self.given_name, self.family_name, self.name_order)


def full_name(given_name: str, family_name: str, name_order: str) -> str:
    """The names in the given order, without the honorific."""
    if name_order == NameOrder.FAMILY_FIRST:
        first, second = family_name, given_name
    else:
        first, second = given_name, family_name
    # Written out rather than " ".join(...) of a generator: a long programme names thousands.
    return f"{first} {second}" if first and second else first or second


def display_name(honorific: str, given_name: str, family_name: str, name_order: str) -> str:
    """The name as every page, list and mail shows it, from the name fields alone (for reads
    that fetch the fields without the record): honorific and full name."""
    name = full_name(given_name, family_name, name_order)
    return f"{honorific} {name}" if honorific and name else honorific or name
