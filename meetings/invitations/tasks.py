"""The dotted path of the mailings' task before it moved beside its work (services.py), for
mailings still queued under it: the worker imports the path the queue stored. Nothing of the
site imports this module."""

from .services import deliver_mailing

__all__ = ["deliver_mailing"]
