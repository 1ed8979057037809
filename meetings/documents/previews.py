"""A version's preview (a thumbnail of an image, the first page of a PDF), made by the worker
(`make_preview`, below) and stored beside the file. A failure is recorded on the version and
the pages show the document without a preview; nothing is raised to the worker."""

import logging
from pathlib import PurePosixPath

from django.core.files.base import ContentFile

from anso.background.tasks import background
from anso.files.previews import PreviewError, render_preview

from .models import DocumentVersion, PreviewState

logger = logging.getLogger(__name__)


def version_preview_make(*, version_pk: int) -> str:
    version = DocumentVersion.objects.filter(pk=version_pk).first()
    if version is None or version.preview_state != PreviewState.PENDING:
        return "nothing to do"
    try:
        with version.file.open("rb") as file:
            png = render_preview(file.read(), version.content_type)
    except (PreviewError, OSError) as error:
        logger.warning("No preview for document version %s: %s", version.pk, error)
        version.preview_state = PreviewState.FAILED
        version.preview_error = str(error)[:300]
        version.save(update_fields=["preview_state", "preview_error"])
        return "failed"
    stem = PurePosixPath(version.filename).stem
    version.preview.save(f"{stem}.png", ContentFile(png), save=False)
    version.preview_state = PreviewState.READY
    version.preview_error = ""
    version.save(update_fields=["preview", "preview_state", "preview_error"])
    return "ready"


@background
def make_preview(version_pk: int) -> str:
    """The worker's task of a version's preview, enqueued after the upload commits."""
    return version_preview_make(version_pk=version_pk)
