"""The upkeep's chores of meetings (anso/background/upkeep.py): mailings whose delivery was lost,
batches of papers a dead worker left and their files past their retention, the passport
details of visa requests past their retention, and reminders of actions due soon."""

from anso.background.upkeep import chore_register

from .attendance.personal_data import registrants_contact_details_clear
from .invitations.services import mailings_unwritten_deliver
from .papers.batches import paper_batch_files_delete, paper_batches_recover
from .papers.visa import visa_data_erase
from .record.actions.reminders import action_plan_overdue_renew, action_reminders_send
from .record.votes.services import votes_close_due, votes_remind

chore_register("meetings.mailings_unwritten", mailings_unwritten_deliver)

# Visa requests' passport details, VISA_DATA_RETENTION_DAYS after their meeting (docs/papers.md).
chore_register("meetings.visa_data_erase", visa_data_erase)

# Batches of papers (meetings/papers/batches.py): run again or failed; files after their days.
chore_register("meetings.paper_batches_recover", paper_batches_recover)
chore_register("meetings.paper_batch_files_delete", paper_batch_files_delete)
# Reminders to the owners of actions due within ACTION_REMINDER_DAYS, once per due date.
chore_register("meetings.action_reminders", action_reminders_send)
# The overdue mark on the pages that show actions, renewed the day an action becomes overdue.
chore_register("meetings.action_plan_overdue", action_plan_overdue_renew)
# Votes by written procedure: the reminder before closing, then closing and mailing the result
# (docs/record.md, "Decisions and votes").
chore_register("meetings.votes_remind", votes_remind)
chore_register("meetings.votes_close_due", votes_close_due)
# The email and phone of people who registered and never attended, CONTACT_RETENTION_MONTHS
# after their last meeting (docs/personal-data.md).
chore_register("meetings.registrants_contact_clear", registrants_contact_details_clear)
