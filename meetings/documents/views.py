"""Downloads: the visibility rule, then the file served by the storage (anso.files)."""

from django.http import Http404


def download(request, pk: int, number: int, filename: str):
    raise Http404


def preview(request, pk: int, number: int):
    raise Http404
