"""The members' comments in the admin: a list of every comment (filtered by decision, with the
actions "Mark taken in" and "Mark not taken in"), and the page of one set of minutes' comments,
each part's text with its comments beside it and a decision per comment. Every decision goes
through `comments.minutes_comment_decide`, which keeps the history. Comments are written by the
members' link only: nobody adds or deletes one here."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from simple_history.admin import SimpleHistoryAdmin

from anso.admin_tools import LongListAdminMixin

from .comment_models import CommentDecision, MinutesComment
from .comments import CommentRefused, minutes_comment_decide, parts_with_comments
from .models import Minutes


class DecideForm(forms.Form):
    comment = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=CommentDecision.choices)
    note = forms.CharField(required=False, max_length=2000)


@admin.register(MinutesComment)
class MinutesCommentAdmin(LongListAdminMixin, SimpleHistoryAdmin):
    list_display = ["part", "minutes", "person", "created_at", "decision", "decided_by"]
    list_filter = ["decision", "part__minutes__state"]
    list_select_related = ["part__minutes__meeting", "part__agenda_item", "person", "decided_by"]
    search_fields = ["text", "person__family_name", "person__given_name", "note"]
    actions = ["mark_taken_in", "mark_not_taken_in"]
    fields = ["minutes", "part", "person", "created_at", "text", "decision", "note",
              "decided_by", "decided_at"]  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("part__minutes__meeting", "part__agenda_item", "person", "decided_by")
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("minutes"))
    def minutes(self, obj):
        return obj.part.minutes

    def _decide(self, request, queryset, decision: str) -> None:
        count = 0
        for comment in queryset:
            minutes_comment_decide(comment=comment, decision=decision, by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d comment marked “%(decision)s”.",
                "%(count)d comments marked “%(decision)s”.",
                count,
            )
            % {"count": count, "decision": CommentDecision(decision).label},
            messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Mark taken in"), permissions=["change"])
    def mark_taken_in(self, request, queryset):
        self._decide(request, queryset, CommentDecision.TAKEN_IN)

    @admin.action(description=gettext_lazy("Mark not taken in"), permissions=["change"])
    def mark_not_taken_in(self, request, queryset):
        self._decide(request, queryset, CommentDecision.NOT_TAKEN_IN)

    def get_urls(self):
        return [
            path(
                "minutes/<path:minutes_id>/",
                self.admin_site.admin_view(self.minutes_comments_view),
                name="meetings_minutes_comments",
            ),
            *super().get_urls(),
        ]

    def minutes_comments_view(self, request, minutes_id: str):
        """One set of minutes: each part's text with its comments beside it; a POST decides
        one comment (needs the permission to change comments)."""
        minutes = get_object_or_404(Minutes.objects.select_related("meeting"), pk=minutes_id)
        if not self.has_view_permission(request):
            raise PermissionDenied
        can_decide = self.has_change_permission(request)
        if request.method == "POST":
            if not can_decide:
                raise PermissionDenied
            form = DecideForm(request.POST)
            comment = None
            if form.is_valid():
                comment = MinutesComment.objects.filter(
                    pk=form.cleaned_data["comment"], part__minutes=minutes
                ).first()
            if comment is None:
                self.message_user(request, _("Choose a comment and a decision."), messages.ERROR)
            else:
                try:
                    minutes_comment_decide(
                        comment=comment,
                        decision=form.cleaned_data["decision"],
                        note=form.cleaned_data["note"],
                        by=request.user,
                    )
                except CommentRefused as refused:
                    self.message_user(request, refused.message, messages.ERROR)
                else:
                    self.message_user(request, _("The decision is recorded."), messages.SUCCESS)
            url = reverse("admin:meetings_minutes_comments", args=[minutes.pk])
            return HttpResponseRedirect(f"{url}#comment-{comment.pk}" if comment else url)
        parts = parts_with_comments(minutes=minutes)
        context = {
            **self.admin_site.each_context(request),
            "opts": Minutes._meta,
            "title": _("Comments on the minutes"),
            "subtitle": str(minutes),
            "minutes": minutes,
            "parts": parts,
            "can_decide": can_decide,
            "decisions": CommentDecision.choices,
            "pending": sum(
                1
                for part in parts
                for comment in part.all_comments
                if comment.decision == CommentDecision.PENDING
            ),
        }
        return TemplateResponse(request, "admin/meetings/minutes/comments.html", context)
