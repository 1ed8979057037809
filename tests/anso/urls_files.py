"""A URLconf for tests/anso/test_files.py: a download view with no permission check, to see
`file_download_response` through the whole middleware stack."""

from django.db import models
from django.db.models.fields.files import FieldFile
from django.urls import path

from anso.files.downloads import file_download_response


def download(request, name):
    return file_download_response(
        request,
        FieldFile(None, models.FileField(), name),
        filename=request.GET.get("filename", "file.txt"),
        content_type=request.GET.get("type", "text/plain"),
        as_attachment=request.GET.get("inline") is None,
        public=request.GET.get("public") is not None,
    )


urlpatterns = [
    path("files/<path:name>", download),
]
