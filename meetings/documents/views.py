"""Downloads of documents' files and previews. The visibility rule first
(`Document.objects.visible_to(audience_of(request))`), then the file is served by the storage
(`anso.files.downloads.file_download_response`: a signed short-lived address of the bucket, or the
web server's internal redirect), never read through this view.

A document the visitor may not read is "not found", whether it exists or not, except a
members-only one for a visitor who is not signed in: they are sent to the members' sign-in
page, which brings them back here."""

from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from anso.files.downloads import file_download_response
from anso.files.uploads import INLINE_TYPES
from members.access import sign_in_url

from .access import Audience, audience_of
from .models import Document, DocumentVersion, PreviewState, Visibility


def _readable_version(request, pk: int, number: int) -> DocumentVersion:
    """The version if the request's audience may read its document; `Http404` otherwise, or
    `_SignIn` when signing in as a member would let the visitor read it."""
    audience = audience_of(request)
    version = (
        DocumentVersion.objects.select_related("document")
        .filter(
            document__in=Document.objects.visible_to(audience).filter(pk=pk),
            number=number,
        )
        .first()
    )
    if version is not None:
        return version
    if (
        audience < Audience.MEMBERS
        and not request.user.is_authenticated
        and Document.objects.visible_to(Audience.MEMBERS)
        .filter(pk=pk, versions__number=number)
        .exists()
    ):
        raise _SignIn
    raise Http404


class _SignIn(Exception):
    pass


@require_safe
def download(request, pk: int, number: int, filename: str):
    try:
        version = _readable_version(request, pk, number)
    except _SignIn:
        return redirect(sign_in_url(request.get_full_path()))
    if filename != version.filename:
        return redirect(version.get_absolute_url())
    return file_download_response(
        request,
        version.file,
        filename=version.filename,
        content_type=version.content_type,
        as_attachment=version.content_type not in INLINE_TYPES,
        public=version.document.visibility == Visibility.PUBLIC,
    )


@require_safe
def preview(request, pk: int, number: int):
    try:
        version = _readable_version(request, pk, number)
    except _SignIn:
        return redirect(sign_in_url(request.get_full_path()))
    if version.preview_state != PreviewState.READY or not version.preview:
        raise Http404
    stem = version.filename.rpartition(".")[0] or version.filename
    return file_download_response(
        request,
        version.preview,
        filename=f"{stem}.png",
        content_type="image/png",
        as_attachment=False,
        public=version.document.visibility == Visibility.PUBLIC,
    )
