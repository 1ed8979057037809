"""Which cached pages a change of the meetings' records renews (anso/caching/tags.py).

Tags of one record: `record_tag(Meeting, pk)` is a meeting's page (its programme, decisions,
attendance and registration); the organizations' and people's tags are members/cache_tags.py.
Tags of the lists: `MEETINGS` (pages that list meetings or name them: the list, the home page,
the calendar feeds, the sitemap, the action plan, organizations' and people's pages) and
`ACTIONS` (the action plan, and the actions each meeting page names).

A document renews its meeting's page, the action plan when it is on an action or on an agenda
item that presents one, and the page of the person who presented it; a new version of it (or
its preview, once made) renews the same pages.

Minutes and their parts renew their meeting's page (it shows them once approved); a decision
or a meeting renews, besides its own, the pages of the meetings whose minutes it approved
(their page names it).
Minutes renew, besides, the pages of the meetings whose programme approves them (their section
"Taken up from earlier meetings" links to them); a line of matters arising renews the page of
its item's meeting (the actions and decisions it names renew `ACTIONS`, which that page
declares).
An action's progress note renews the action plan (and the pages that name actions), as the
action does; an organization, a body or a person renews the action plan when they own an
action (the plan names its owner; bodies renew it by `BODIES`, which it declares).

A check-in or a registration renews its meeting's page, the person's and the organization's
(they show attendance), and nothing else.
"""

from django.db.models import Q

from anso.caching.tags import record_tag, register
from members.cache_tags import organization_page_tag
from members.models import Organization, Person

from .attendance.models import Participation, ParticipationEvent, RegistrationWindow
from .documents.models import Document, DocumentVersion
from .invitations.models import Mailing, MailingRecipient, RecipientList
from .models import Action, ActionProgress, AgendaItem, Decision, Meeting, Session, Speaker
from .papers.models import Letterhead, Paper, PaperBatch, VisaRequest
from .record.models import MattersArising, Minutes, MinutesComment, MinutesPart, MinutesRevision
from .record.votes.models import Ballot, Delegation, Vote

MEETINGS = "meetings"
ACTIONS = "actions"


def meeting_tag(pk) -> str:
    return record_tag(Meeting, pk)


def _meeting_tags(pks):
    return {meeting_tag(pk) for pk in pks if pk}


def meeting_row_tags(meeting: Meeting, *, created: bool = False):
    tags = {MEETINGS, meeting_tag(meeting.pk)}
    if not created:  # the meetings whose minutes it approved name it
        tags |= _meeting_tags(
            Minutes.objects.filter(approved_by_decision__meeting=meeting.pk).values_list(
                "meeting_id", flat=True
            )
        )
    return tags


def session_tags(session: Session, *, created: bool = False):
    tags = {meeting_tag(session.meeting_id)}
    if session.chair_id:
        tags.add(record_tag(Person, session.chair_id))
    return tags


def agenda_item_tags(item: AgendaItem, *, created: bool = False):
    tags = _meeting_tags(
        Session.objects.filter(pk=item.session_id).values_list("meeting", flat=True)
    )
    if item.action_id:
        tags.add(ACTIONS)
    if not created:
        speakers = Speaker.objects.filter(item=item).values_list("person_id", flat=True)
        tags |= {record_tag(Person, pk) for pk in speakers}
    return tags


def speaker_tags(speaker: Speaker, *, created: bool = False):
    tags = {record_tag(Person, speaker.person_id)}
    for meeting_id, action_id in AgendaItem.objects.filter(pk=speaker.item_id).values_list(
        "session__meeting", "action"
    ):
        tags.add(meeting_tag(meeting_id))
        if action_id:
            tags.add(ACTIONS)
    return tags


def decision_tags(decision: Decision, *, created: bool = False):
    tags = {meeting_tag(decision.meeting_id), ACTIONS}
    if not created:  # the meetings whose minutes it approved name it
        tags |= _meeting_tags(
            Minutes.objects.filter(approved_by_decision=decision.pk).values_list(
                "meeting_id", flat=True
            )
        )
    return tags


def minutes_part_tags(part: MinutesPart, *, created: bool = False):
    return _meeting_tags(
        Minutes.objects.filter(pk=part.minutes_id).values_list("meeting_id", flat=True)
    )


def minutes_tags(minutes: Minutes, *, created: bool = False):
    tags = {meeting_tag(minutes.meeting_id)}
    if not created:  # the meetings whose programme approves them link to them
        tags |= _meeting_tags(
            AgendaItem.objects.filter(minutes_to_approve=minutes.pk).values_list(
                "session__meeting", flat=True
            )
        )
    return tags


def matters_arising_tags(line: MattersArising, *, created: bool = False):
    return _meeting_tags(
        AgendaItem.objects.filter(pk=line.item_id).values_list("session__meeting", flat=True)
    )


def document_tags(document: Document, *, created: bool = False):
    tags = _meeting_tags([document.meeting_id])
    if document.action_id or (
        document.agenda_item_id
        and AgendaItem.objects.filter(pk=document.agenda_item_id, action__isnull=False).exists()
    ):
        tags.add(ACTIONS)
    if document.presented_by_id:
        tags.add(record_tag(Person, document.presented_by_id))
    return tags


def document_version_tags(version: DocumentVersion, *, created: bool = False):
    document = Document.objects.filter(pk=version.document_id).first()
    return document_tags(document) if document is not None else set()


def participation_tags(participation: Participation, *, created: bool = False):
    tags = {meeting_tag(participation.meeting_id), record_tag(Person, participation.person_id)}
    if participation.organization_id:
        tags.add(organization_page_tag(participation.organization_id))
    return tags


def organization_in_meetings(organization, *, created: bool = False):
    """The meetings whose pages name the organization: its participants', speakers' and
    chairs' (an organization just made is in none); the action plan if it owns an action."""
    if created:
        return set()
    pk = organization.pk
    owner = {ACTIONS} if Action.objects.filter(owner_organization=pk).exists() else set()
    return owner | (
        _meeting_tags(
            Participation.objects.filter(Q(organization=pk) | Q(person__organization=pk))
            .order_by()
            .values_list("meeting_id", flat=True)
            .distinct()
        )
        | _meeting_tags(
            Speaker.objects.filter(person__organization=pk)
            .order_by()
            .values_list("item__session__meeting", flat=True)
            .distinct()
        )
        | _meeting_tags(
            Session.objects.filter(chair__organization=pk)
            .order_by()
            .values_list("meeting_id", flat=True)
            .distinct()
        )
    )


def person_in_meetings(person: Person, *, created: bool = False):
    """The meetings whose pages name the person, and the action plan if they presented or own
    an action (a person just made is in none)."""
    if created:
        return set()
    spoke = list(
        Speaker.objects.filter(person=person.pk).values_list(
            "item__session__meeting", "item__action"
        )
    )
    tags = (
        _meeting_tags(
            Participation.objects.filter(person=person.pk).values_list("meeting_id", flat=True)
        )
        | _meeting_tags(meeting for meeting, _action in spoke)
        | _meeting_tags(
            Session.objects.filter(chair=person.pk).values_list("meeting_id", flat=True)
        )
    )
    if any(action for _meeting, action in spoke) or (
        Action.objects.filter(owner_person=person.pk).exists()
    ):
        tags.add(ACTIONS)
    return tags


def register_rules() -> None:
    register(Meeting, meeting_row_tags)
    register(Session, session_tags)
    register(AgendaItem, agenda_item_tags)
    register(Speaker, speaker_tags)
    register(Decision, decision_tags)
    register(Action, lambda action, created=False: (ACTIONS,))
    register(ActionProgress, lambda note, created=False: (ACTIONS,))
    register(Document, document_tags)
    register(DocumentVersion, document_version_tags)
    register(Participation, participation_tags)
    register(RegistrationWindow, lambda window, created=False: (meeting_tag(window.meeting_id),))
    register(ParticipationEvent)  # a log: shown to the Secretariat only
    # Mailings, their recipients and saved lists: shown to the Secretariat only.
    register(Mailing)
    register(MailingRecipient)
    register(RecipientList)
    # Papers: their verification page is never cached (a revocation shows at once), and the
    # letterhead is printed on papers only.
    register(Paper)
    register(Letterhead)
    register(VisaRequest)  # shown to the Secretariat only, never on a cached page
    # Minutes: shown on their meeting's page once approved (a draft's save renews it too,
    # which costs one render); their revisions are the Secretariat's only.
    register(Minutes, minutes_tags)
    register(MinutesPart, minutes_part_tags)
    register(MinutesRevision)
    register(MattersArising, matters_arising_tags)
    register(PaperBatch)  # the worker's batches: staff pages only
    # A vote shows on its meeting's page and its result page (which declares the meeting's
    # tag). Ballots and delegations are shown only once the vote has closed, and closing
    # writes the vote; after that they cannot change.
    register(Vote, lambda vote, created=False: {meeting_tag(vote.decision.meeting_id)})
    register(Ballot)
    register(Delegation)
    register(MinutesComment)  # the Secretariat's and its author's only, never on a cached page
    register(Organization, organization_in_meetings)
    register(Person, person_in_meetings)
