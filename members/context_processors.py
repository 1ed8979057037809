"""The signed-in member, for the header of every page (templates/base.html)."""

from django.utils.functional import SimpleLazyObject

from .access import member_person


def member(request):
    """`signed_in_member`: the Person signed in when they are a member today, else None.
    Looked up only when a template reads it, and at most once a request."""
    user = getattr(request, "user", None)
    return {"signed_in_member": SimpleLazyObject(lambda: member_person(user))}
