"""The upkeep's chores of meetings (anso/background/upkeep.py): mailings whose delivery was lost."""

from anso.background.upkeep import chore_register

from .invitations.services import mailings_unwritten_deliver

chore_register("meetings.mailings_unwritten", mailings_unwritten_deliver)
