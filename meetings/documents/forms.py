"""The admin's document form: the description, where it belongs, and the files to upload."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from anso.files.uploads import CheckedFilesField, max_upload_bytes

from .models import Document


class DocumentAdminForm(forms.ModelForm):
    """On a new document, each file chosen (or dropped) becomes a document of its own with the
    same description (one file: this document); on an existing one, the files become its next
    versions, the last one chosen its latest. The meeting and session follow from the agenda
    item (or the session) chosen, so that choosing the finest target is enough: the model's
    `clean` places the document (`Document.place`)."""

    files = CheckedFilesField(label=_("files"), required=False)

    class Meta:
        model = Document
        fields = [
            "title",
            "kind",
            "language",
            "date",
            "meeting",
            "session",
            "agenda_item",
            "action",
            "presented_by",
            "order",
            "visibility",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        adding = self.instance.pk is None
        self.fields["files"].required = adding
        self.fields["files"].help_text = (
            _(
                "PDF, office documents (Word, Excel, PowerPoint, OpenDocument) or images (JPEG, "
                "PNG, GIF, WebP), up to %(limit)s each. Drop them here or choose them; several "
                "files make several documents with this description."
            )
            if adding
            else _(
                "A new version of this document; the earlier versions are kept. PDF, office "
                "documents or images, up to %(limit)s each."
            )
        ) % {"limit": filesizeformat(max_upload_bytes())}
