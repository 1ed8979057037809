"""The papers' reads."""

from ..models import Participation
from .models import Paper, PaperBatch


def paper_for_verification(reference: str) -> Paper | None:
    """The paper with this reference number, with what its public page shows."""
    return (
        Paper.objects.select_related("meeting", "participation__person")
        .filter(reference=reference)
        .first()
    )


def standing_certificate(participation: Participation) -> Paper | None:
    return Paper.objects.certificates().standing().filter(participation=participation).first()


#: The batches a meeting's control page links, newest first.
RECENT_BATCHES = 5


def paper_batches_recent(*, meeting) -> list[PaperBatch]:
    """The meeting's latest batches of papers, for its control page: one query."""
    return list(
        PaperBatch.objects.filter(meeting=meeting).select_related("meeting")[:RECENT_BATCHES]
    )


def initials(person) -> str:
    """A person's initials as the verification page shows them, and nothing more of the name:
    "J. C." for Jinghua Cao, in the order the person writes their names."""
    names = person.full_name.split() or [person.name_original]
    return " ".join(f"{name[0].upper()}." for name in names if name)
