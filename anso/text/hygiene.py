"""Text that people type: what a public form accepts, and how stored text is made safe for a
mail header.

Public text fields refuse control characters (they break spreadsheet exports and mail headers
and are never typed on purpose); one-line fields (names, emails, anything not a text area)
refuse line breaks too. `CleanTextFormMixin` applies both rules to every text field of a form;
`OneLineCharField` gives the one-line rule to a model's field, so that every way in (the admin,
a model form, an import that validates its rows) refuses what the public forms refuse.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

#: Control characters (Unicode category Cc) other than tab and the line breaks of a text area.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: Every control character and line or paragraph separator: what a one-line value may not hold.
_CONTROL_OR_LINE_BREAK = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def has_control_characters(value: str, *, one_line: bool = True) -> bool:
    pattern = _CONTROL_OR_LINE_BREAK if one_line else _CONTROL
    return bool(pattern.search(value))


def no_control_characters(value: str) -> None:
    """Validator for multi-line text: tabs and line breaks are allowed, other control
    characters are not."""
    if isinstance(value, str) and has_control_characters(value, one_line=False):
        raise ValidationError(
            _("Remove the invisible control characters from this text."),
            code="control_characters",
        )


def no_control_characters_one_line(value: str) -> None:
    """Validator for one-line text (names, emails): no control characters, no line breaks."""
    if isinstance(value, str) and has_control_characters(value, one_line=True):
        raise ValidationError(
            _("Enter one line of plain text, without line breaks or invisible characters."),
            code="control_characters",
        )


def one_line(text: str) -> str:
    """The text on one line: control characters and line breaks become spaces, runs of
    whitespace one space. For mail subjects and other headers built from stored values."""
    return " ".join(_CONTROL_OR_LINE_BREAK.sub(" ", str(text)).split())


class CleanTextFormMixin:
    """Every text field of the form refuses control characters; a field that is not a text
    area is one line and refuses line breaks too. Put it first among a form's bases."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                multi_line = isinstance(field.widget, forms.Textarea)
                field.validators.append(
                    no_control_characters if multi_line else no_control_characters_one_line
                )


class OneLineCharField(models.CharField):
    """A model's field for one line that a person types (a name, a title, an address, a
    subject): control characters and line breaks are refused by its validator, so that a
    model form (the admin's too) shows a field error and saves nothing.

    To the database and the migrations it is a plain `CharField` (`deconstruct`): the rule is
    validation, not a column's type, and migrations do not depend on where this class lives."""

    default_validators = [no_control_characters_one_line]

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs
