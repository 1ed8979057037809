"""The documents' background work: previews, made by the worker after an upload commits."""

from anso.tasks import background


@background
def make_preview(version_pk: int) -> str:
    from .previews import version_preview_make

    return version_preview_make(version_pk=version_pk)
