"""The dotted path of the preview task before it moved beside its work (previews.py), for
previews still queued under it: the worker imports the path the queue stored. Nothing of the
site imports this module."""

from .previews import make_preview

__all__ = ["make_preview"]
