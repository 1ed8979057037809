"""Spreadsheets in and out of the admin (django-import-export), made safe in one place.

- Exports escape formulas: a text cell that starts with = + - @, a tab or a carriage return is
  written with a leading apostrophe, in CSV and XLSX alike, so that a spreadsheet program shows
  it as text instead of running it. Numbers (also negative ones) stay numbers. Imports read the
  apostrophe back off, so that an exported file imports unchanged.
- Control characters that XLSX cannot hold are replaced by the library
  (IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT); they never fail an export.
- Imported cells are one line of plain text: a row with a control character or a line break
  fails with a message naming the column.
- Hand-made import and export parameters (a format or resource the page does not offer, an
  import file name the site did not hand out) are answered 400 with a message.
"""

import os
import re

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from import_export.forms import ConfirmImportForm
from import_export.results import RowResult
from import_export.tmp_storages import TempFolderStorage

from .bad_requests import bad_request
from .text import has_control_characters

#: What makes a spreadsheet program read a cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def escape_formula(value):
    """A text value that a spreadsheet would run as a formula, with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def unescape_formula(value):
    """The inverse of `escape_formula`, for a file that comes back to be imported."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _map_cells(dataset, function):
    """The dataset with `function` applied to every cell, in place."""
    headers = dataset.headers
    rows = [[function(cell) for cell in row] for row in dataset]
    dataset.wipe()
    dataset.headers = headers
    for row in rows:
        dataset.append(row)
    return dataset


class FormulaSafeMixin:
    def export_data(self, dataset, **kwargs):
        return super().export_data(_map_cells(dataset, escape_formula), **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        return _map_cells(super().create_dataset(in_stream, **kwargs), unescape_formula)


class CSV(FormulaSafeMixin, base_formats.CSV):
    pass


class XLSX(FormulaSafeMixin, base_formats.XLSX):
    pass


#: The formats of every admin import and export.
FORMATS = [CSV, XLSX]


class OneLineCellsMixin:
    """For a resource: every imported text cell is one line without control characters."""

    def import_row(self, row, instance_loader, **kwargs):
        columns = [
            column
            for column, value in row.items()
            if isinstance(value, str) and has_control_characters(value, one_line=True)
        ]
        if not columns:
            return super().import_row(row, instance_loader, **kwargs)
        row_result = self.get_row_result_class()()
        row_result.import_type = RowResult.IMPORT_TYPE_INVALID
        row_result.validation_error = ValidationError(
            {
                column: _(
                    "The column “%(column)s” holds a line break or an invisible control "
                    "character; each cell must be one line of plain text."
                )
                % {"column": column}
                for column in columns
            }
        )
        return row_result


# --- the admin -------------------------------------------------------------------------------

_FILE_NAME_SALT = "anso.spreadsheets.import-file"


class SignedConfirmImportForm(ConfirmImportForm):
    """The confirm step names the uploaded file by a name signed for this user, so that a
    tampered name cannot make the import read another file."""

    def __init__(self, *args, user_pk=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user_pk = user_pk

    def clean_import_file_name(self):
        try:
            name = signing.loads(
                self.cleaned_data["import_file_name"], salt=f"{_FILE_NAME_SALT}:{self.user_pk}"
            )
        except signing.BadSignature as error:
            raise ValidationError(_("The import file name was not issued by this site.")) from error
        return os.path.basename(name)


class SpreadsheetParametersMixin:
    """For an import/export admin: parameters no page of the admin offers are a 400 with a
    message, never a 500."""

    formats = FORMATS
    confirm_form_class = SignedConfirmImportForm

    def get_confirm_form_kwargs(self, request, import_form=None):
        return {**super().get_confirm_form_kwargs(request, import_form), "user_pk": request.user.pk}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if initial.get("import_file_name"):
            initial["import_file_name"] = signing.dumps(
                initial["import_file_name"], salt=f"{_FILE_NAME_SALT}:{request.user.pk}"
            )
        return initial

    def import_action(self, request, **kwargs):
        if request.method == "POST" and self.has_import_permission(request):
            problem = _choice_problem(
                request.POST, self.get_import_formats(), self.get_import_resource_classes(request)
            )
            if problem:
                return bad_request(request, problem)
        return super().import_action(request, **kwargs)

    def process_import(self, request, **kwargs):
        if request.method == "POST":
            if not self.has_import_permission(request):
                raise PermissionDenied
            problem = _choice_problem(
                request.POST, self.get_import_formats(), self.get_import_resource_classes(request)
            )
            if problem:
                return bad_request(request, problem)
            form = self.create_confirm_form(request)
            if not form.is_valid():
                return bad_request(
                    request,
                    _("The import could not be confirmed: %(errors)s Upload the file again.")
                    % {"errors": " ".join(e for errors in form.errors.values() for e in errors)},
                )
            if not self._import_file_exists(form.cleaned_data["import_file_name"]):
                return bad_request(
                    request,
                    _(
                        "The uploaded file is no longer there (it was imported already, or it "
                        "expired). Upload it again."
                    ),
                )
        return super().process_import(request, **kwargs)

    def export_action(self, request):
        if request.method == "POST" and self.has_export_permission(request):
            problem = _choice_problem(
                request.POST, self.get_export_formats(), self.get_export_resource_classes(request)
            )
            if problem:
                return bad_request(request, problem)
        return super().export_action(request)

    def _import_file_exists(self, name: str) -> bool:
        storage = self.get_tmp_storage_class()(
            name=name, read_mode="rb", **self.get_tmp_storage_class_kwargs()
        )
        if isinstance(storage, TempFolderStorage):
            return os.path.isfile(storage.get_full_path())
        try:
            return storage.read() is not None
        except OSError:
            return False


def _choice_problem(data, formats, resources) -> str:
    """What is wrong with the `format` and `resource` parameters, if anything."""
    for name, choices in (("format", formats), ("resource", resources)):
        value = data.get(name, "")
        if value == "":
            continue  # not chosen: the form asks for it; the only resource: not asked
        if not (value.isdigit() and int(value) < len(choices)):
            return _(
                "“%(value)s” is not a %(name)s this page offers. Choose one from the list."
            ) % {
                "value": value[:20],
                "name": name,
            }
    return ""
