"""Admin pieces shared by every model of the site: the CSV export action, a country filter
that lists only the countries in use, a filter by a related record that stays short when there
are thousands of them, inline autocompletes without a query per row, and the page on which an
action asks for a reason before it acts (`reason_action`)."""

import csv
import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.paginator import Paginator
from django.db import models
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from anso.caching.tags import cached_until_change, project_app_labels
from anso.forms import ErrorSummaryFormMixin


class CachedCountPaginator(Paginator):
    """Counts an unfiltered list of the project's records once per change of the table.

    The admin counts the whole table for every page of an unfiltered changelist: 20 ms on
    each of three processes (a parallel scan) for 300,000 participations. The count of a
    table only changes when rows are added or deleted, which renews the table's tag
    (anso/caching/tags.py), so the cached count is exact. Filtered and searched lists are
    counted as usual.
    """

    @cached_property
    def count(self):
        queryset = self.object_list
        if (
            not isinstance(queryset, models.QuerySet)
            or queryset.query.has_filters()
            or queryset.model._meta.app_label not in project_app_labels()
        ):
            return super().count

        def uncached():
            return super(CachedCountPaginator, self).count

        return cached_until_change(
            f"anso:row-count:{queryset.model._meta.label_lower}", uncached, models=[queryset.model]
        )


class LongListAdminMixin:
    """For the changelists of tables that grow with every meeting (participations, people,
    sessions, ...): 50 rows a page (Django's 100 doubles the render time for little use: the
    Secretariat finds rows by search and filters, not by scrolling), the unfiltered count
    cached, and no second count of the whole table under a filtered list."""

    list_per_page = 50
    paginator = CachedCountPaginator
    show_full_result_count = False

    def action_checkbox(self, obj):
        """Django's checkbox for the list's actions, the same markup written directly:
        rendered through the form widget's three templates, the 50 checkboxes of a page took
        a third of the list's render."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            str(obj.pk),
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )


#: A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose write() returns the line, for streaming with csv.writer."""

    def write(self, value):
        return value


def _export_fields(model: type[models.Model]) -> list[models.Field]:
    """Every column but the password and the fields marked `never_exported` (a visa
    request's passport details, a mail's attachments)."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.name != "password" and not getattr(field, "never_exported", False)
    ]


def _cell(obj: models.Model, field: models.Field) -> str:
    if field.is_relation:
        value = getattr(obj, field.name)
    elif field.choices:
        value = getattr(obj, f"get_{field.name}_display")()
    else:
        value = getattr(obj, field.attname)
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).isoformat(timespec="seconds")
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        text = "'" + text
    return text


def csv_rows(queryset: models.QuerySet):
    """Yield the header and one row per object: every concrete field, related objects by
    their name, choices by their label."""
    fields = _export_fields(queryset.model)
    relations = [field.name for field in fields if field.is_relation]
    yield [str(field.verbose_name) for field in fields]
    for obj in queryset.select_related(*relations).iterator(chunk_size=500):
        yield [_cell(obj, field) for field in fields]


@admin.action(description=_("Export selected rows to CSV"), permissions=["view"])
def export_as_csv(modeladmin, request, queryset):
    """Stream the selected rows as a CSV file named after the model and today's date.

    Needs the view permission on the model (the admin hides the action otherwise and refuses
    it if posted anyway).
    """
    opts = queryset.model._meta
    writer = csv.writer(_Echo())
    filename = f"{slugify(opts.verbose_name_plural)}-{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in csv_rows(queryset)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class CountryOrRegionFilter(CountryFilter):
    """Lists only the countries and regions that occur, not all ~250 ISO 3166 codes.

    Finding them is a DISTINCT over the whole table (45 ms on 300,000 participations), so the
    codes are cached until a row of the table changes.
    """

    title = _("country or region")

    def lookup_choices(self, changelist):
        codes = changelist.model._default_manager.order_by().values_list(self.field_path, flat=True)
        in_use = cached_until_change(
            f"anso:countries-in-use:{changelist.model._meta.label_lower}:{self.field_path}",
            lambda: set(codes.distinct()),
            models=[changelist.model],
        )
        for code, name in self.field.get_choices(include_blank=False):
            if code in in_use:
                yield code, name


@admin.display(description=_("country or region"), ordering="country")
def country_name(obj) -> str:
    """The `country` column of a changelist. The stock column looks the code up in the
    field's flattened choices, rebuilt for every row: a third of the render time of a page of
    100 rows."""
    return obj.country.name if obj.country else "-"


class LatestRowsListFilter(admin.SimpleListFilter):
    """Filter by a related record, listing only the latest few (and the one chosen).

    The stock related filter lists every row of the related table: with a thousand meetings
    that is a thousand links rendered on every changelist page. Any other row is reached with
    `?<parameter_name>=<pk>`, the link the related record's own admin page can use. Subclasses
    set `title`, `parameter_name` and `lookup_path` (from the listed model to the related
    record) and give `latest()`, the related rows newest first; `label()` names one.
    """

    lookup_path = ""
    shown = 12

    def latest(self) -> models.QuerySet:
        raise NotImplementedError

    def label(self, obj: models.Model) -> str:
        return str(obj)

    def lookups(self, request, model_admin):
        rows = self.latest()
        choices = [(str(row.pk), self.label(row)) for row in rows[: self.shown]]
        chosen = self.value()
        if chosen and chosen.isdigit() and chosen not in {pk for pk, _label in choices}:
            choices += [(str(row.pk), self.label(row)) for row in rows.filter(pk=chosen)]
        return choices

    def queryset(self, request, queryset):
        chosen = self.value()
        if not chosen:
            return queryset
        if not chosen.isdigit():
            return queryset.none()
        return self.filter_related(queryset, int(chosen))

    def filter_related(self, queryset: models.QuerySet, pk: int) -> models.QuerySet:
        return queryset.filter(**{f"{self.lookup_path}__pk": pk})


class _PreloadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that renders its selected option from an object already loaded.

    The stock widget runs one query per widget to find the label of the selected value: on an
    inline of 50 participants with two autocompletes that is 100 queries. When the form's
    instance already holds the related object (the inline's queryset selects it), this widget
    uses it; otherwise (a bound form with another value) it falls back to the query.
    """

    selected_object = None

    def optgroups(self, name, value, attr=None):
        obj = self.selected_object
        chosen = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if obj is None or chosen != [str(obj.pk)]:
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        label = self.choices.field.label_from_instance(obj)
        options.append(self.create_option(name, obj.pk, label, set(chosen), len(options)))
        return [(None, options, 0)]


class PreloadedAutocompleteForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)
            if not isinstance(widget, _PreloadedAutocompleteSelect):
                continue
            model_field = self.instance._meta.get_field(name)
            if model_field.is_cached(self.instance):
                widget.selected_object = getattr(self.instance, name)


class PreloadedAutocompleteInlineMixin:
    """For inlines with autocomplete fields: list the related objects in `get_queryset`'s
    select_related and the rows render without a query each."""

    form = PreloadedAutocompleteForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        widget = getattr(formfield.widget, "widget", formfield.widget)
        if type(widget) is AutocompleteSelect:
            widget.__class__ = _PreloadedAutocompleteSelect
        return formfield


class AuditTrailAdminMixin:
    """An audit trail in the admin: written by the services only, so nobody adds, changes or
    deletes its rows, superusers included."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Actions that ask for a reason -------------------------------------------------------------

#: The one page on which an action asks for its reason (or another single answer: the decision
#: that approved minutes) before it acts.
REASON_TEMPLATE = "admin/action_with_reason.html"


class ReasonForm(ErrorSummaryFormMixin, forms.Form):
    """A required reason of a few lines; a subclass says where it is kept (`help_text`)."""

    help_text = ""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.help_text:
            self.fields["reason"].help_text = self.help_text


def _answer_name(form_class: type[forms.Form]) -> str:
    """The field the page asks for: the form's only one."""
    (name,) = form_class.base_fields
    return name


def reason_form(request, form_class: type[forms.Form], **kwargs) -> forms.Form:
    """The form, bound when its field was posted (the page sent back), unbound when the action
    was just chosen from the list."""
    posted = _answer_name(form_class) in request.POST
    return form_class(request.POST if posted else None, **kwargs)


def reason_page(
    modeladmin,
    request,
    form: forms.Form,
    *,
    title: str,
    lead: str,
    submit: str,
    items=(),
    cancel_url: str = "",
    action_url: str = "",
) -> TemplateResponse:
    """The page that asks for the reason: `lead` says what the action does, `items` (text) are
    the objects it acts on, `submit` names the button. Posted from a list's action, it carries
    the selection and the action back to the list (the admin runs the action again, with the
    form's answer); from an object's own button, it posts to `action_url`. Cancelling goes back
    to `cancel_url`, by default the list the action came from, with its filters."""
    selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.opts,
        "title": title,
        "lead": lead,
        "items": list(items),
        "form": form,
        "submit": submit,
        "selected": selected,
        "action": request.POST.get("action", "") if selected else "",
        "action_url": action_url,
        "cancel_url": cancel_url or request.get_full_path(),
    }
    return TemplateResponse(request, REASON_TEMPLATE, context)


def reason_action(
    modeladmin,
    request,
    objects,
    *,
    form_class: type[forms.Form],
    apply,
    title: str,
    lead: str,
    submit: str,
    describe=str,
    refused: type[Exception] | tuple = (),
    refused_level: int = messages.WARNING,
    done=None,
    form_kwargs: dict | None = None,
):
    """An admin action that asks for a reason before it acts, on `reason_page`.

    Once the reason is given, `apply(obj, reason)` handles each object through its service. A
    `refused` error names the object and says why (its `message`, at `refused_level`); `done`,
    is the success message when any object was handled: a plural message counting them
    (`ngettext_lazy(..., "count")`), or a function of their count. The
    action's permission is the admin's (its `permissions`); a further check is the action's
    own, before it calls this. Returns None (back to the list, which shows the messages) or
    the page. `describe` gives an object's line on the page (None: no list, when `lead` names
    the one object).
    """
    form = reason_form(request, form_class, **(form_kwargs or {}))
    if not (form.is_bound and form.is_valid()):
        return reason_page(
            modeladmin,
            request,
            form,
            title=title,
            lead=lead,
            submit=submit,
            items=[describe(obj) for obj in objects] if describe else [],
        )
    reason = form.cleaned_data[_answer_name(form_class)]
    handled = 0
    for obj in objects:
        label = str(obj)
        try:
            apply(obj, reason)
        except refused as error:
            modeladmin.message_user(request, f"{label}: {error.message}", refused_level)
        else:
            handled += 1
    if handled and done is not None:
        message = done(handled) if callable(done) else done % {"count": handled}
        modeladmin.message_user(request, message, messages.SUCCESS)
    return None
