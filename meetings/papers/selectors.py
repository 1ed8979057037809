"""The papers' reads."""

from ..models import Participation
from .models import Paper


def paper_for_verification(reference: str) -> Paper | None:
    """The paper with this reference number, with what its public page shows."""
    return (
        Paper.objects.select_related("meeting", "participation__person")
        .filter(reference=reference)
        .first()
    )


def standing_certificate(participation: Participation) -> Paper | None:
    return Paper.objects.certificates().standing().filter(participation=participation).first()


def initials(person) -> str:
    """A person's initials as the verification page shows them, and nothing more of the name:
    "J. C." for Jinghua Cao, in the order the person writes their names."""
    names = person.full_name.split() or [person.name_original]
    return " ".join(f"{name[0].upper()}." for name in names if name)
