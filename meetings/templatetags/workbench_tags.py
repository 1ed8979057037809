"""The Secretariat's home page (the admin's index): a card per coming meeting. `anso` renders
the page and never imports `meetings`: its template loads these tags by name."""

from django import template

from ..workbench.selectors import coming_meeting_cards

register = template.Library()


@register.inclusion_tag("meetings/includes/meeting_cards.html", takes_context=True)
def coming_meetings(context):
    """The coming meetings' cards (`coming_meeting_cards`: five queries), for staff who may
    view meetings; nothing for others."""
    request = context["request"]
    allowed = request.user.has_perm("meetings.view_meeting")
    return {
        "allowed": allowed,
        "cards": coming_meeting_cards() if allowed else [],
        "perms": context.get("perms"),
    }
