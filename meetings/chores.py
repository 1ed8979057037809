"""The upkeep's chores of meetings (anso/background/upkeep.py): mailings whose delivery was lost,
and the passport details of visa requests past their retention."""

from anso.background.upkeep import chore_register

from .invitations.services import mailings_unwritten_deliver
from .papers.visa import visa_data_erase
from .record.votes.services import votes_close_due, votes_remind

chore_register("meetings.mailings_unwritten", mailings_unwritten_deliver)

# Visa requests' passport details, VISA_DATA_RETENTION_DAYS after their meeting (docs/papers.md).
chore_register("meetings.visa_data_erase", visa_data_erase)

# Votes by written procedure: the reminder before closing, then closing and mailing the result
# (docs/record.md, "Decisions and votes").
chore_register("meetings.votes_remind", votes_remind)
chore_register("meetings.votes_close_due", votes_close_due)
