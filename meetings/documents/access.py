"""Who is asking for a document: the audience of a request, in the order of `Visibility`.

The Secretariat is a staff member who passes the one staff rule (`anso.security.staff.staff_access`:
active staff, second factor verified) with the permission to view documents; a member is the
contact person of a current member organization, signed in with the link mailed to them
(`members.access.is_member`); everyone else is the public."""

import enum

from anso.security.staff import Access, staff_access
from members.access import is_member

VIEW_PERMISSION = "meetings.view_document"


class Audience(enum.IntEnum):
    """Each audience reads what the ones before it read (`Document.objects.visible_to`)."""

    PUBLIC = 0
    MEMBERS = 1
    SECRETARIAT = 2


def audience_of(request) -> Audience:
    user = request.user
    if user.is_authenticated and staff_access(request, [VIEW_PERMISSION]) is Access.GRANTED:
        return Audience.SECRETARIAT
    if user.is_authenticated and is_member(user):
        return Audience.MEMBERS
    return Audience.PUBLIC
