"""What every public form shares beyond text hygiene (anso/text/hygiene.py): required fields
said to be required to assistive technology, and a form sent back with errors that says so
at the top.

Django writes `required` on a required field's control, but not on a select whose first
choice has a value (the name order: a browser could never find it empty), and crispy-forms
marks the label with an asterisk either way. `RequiredMarkedFormMixin` adds
`aria-required="true"` to every required control that is not disabled, so that what the
asterisk shows is what a screen reader says; a group of radio buttons keeps `required` on
each button (ARIA puts `aria-required` on the group, which the legend names).

Django itself marks a control in error `aria-invalid="true"` and points its
`aria-describedby` at the error text that crispy-forms writes below it (`<id>_error`).
`ErrorSummaryFormMixin` adds what a long form needs beyond that: the fields in error, in the
order the page shows them, for the summary at the top of the page
(templates/includes/error_summary.html), and `autofocus` on the first of them, so that the
focus lands there even when scripts do not run (static/js/form-errors.js does the same, and
knows the controls that scripts put in place of a field)."""

from dataclasses import dataclass

from django import forms


@dataclass(frozen=True)
class FieldError:
    """One line of the error summary: a field's label, its messages, and the id of the
    control its link moves to."""

    name: str
    label: str
    messages: list[str]
    target: str


class RequiredMarkedBoundField(forms.BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        grouped = isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
        if self.field.required and not self.field.disabled and not grouped:
            attrs["aria-required"] = "true"
        # One control only may carry autofocus; a group's buttons all get these attributes.
        first_error = getattr(self.form, "first_error_name", None)
        if not grouped and first_error is not None and first_error() == self.name:
            attrs["autofocus"] = True
        return attrs

    @property
    def target_id(self) -> str:
        """The id of the control a link to this field moves to: the field's own, or its first
        button's for a group."""
        if self.id_for_label:
            return self.id_for_label
        subwidgets = self.subwidgets
        return subwidgets[0].id_for_label if subwidgets else ""


class RequiredMarkedFormMixin:
    """Required controls carry `aria-required="true"` (see the module's docstring)."""

    bound_field_class = RequiredMarkedBoundField


class ErrorSummaryFormMixin(RequiredMarkedFormMixin):
    """The fields in error in the page's order, and autofocus on the first (see the module's
    docstring)."""

    def _field_order(self) -> list[str]:
        """The fields in the order of the crispy-forms layout when there is one (the order the
        page shows them in), then any the layout leaves out, in the form's order."""
        layout = getattr(getattr(self, "helper", None), "layout", None)
        names = [pointer.name for pointer in layout.get_field_names()] if layout else []
        ordered = [name for name in names if name in self.fields]
        return ordered + [name for name in self.fields if name not in ordered]

    def error_summary(self) -> list[FieldError]:
        if not self.is_bound or not self.errors:
            return []
        summary = []
        for name in self._field_order():
            bound = self[name]
            if name not in self.errors or bound.is_hidden:
                continue
            summary.append(
                FieldError(
                    name=name,
                    label=str(bound.label),
                    messages=[str(message) for message in self.errors[name]],
                    target=bound.target_id,
                )
            )
        return summary

    def first_error_name(self) -> str | None:
        summary = self.error_summary()
        return summary[0].name if summary else None
