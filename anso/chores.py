"""The upkeep's chores of background work (anso/upkeep.py): imports left by a dead worker,
mail whose run was lost, and what is past its retention."""

from .imports import import_job_files_delete, import_jobs_recover
from .mail_dispatch import mail_bodies_delete, mail_due_dispatch
from .upkeep import chore_register

chore_register("imports.recover", import_jobs_recover)
chore_register("imports.delete_files", import_job_files_delete)
chore_register("mail.dispatch_due", mail_due_dispatch)
chore_register("mail.delete_bodies", mail_bodies_delete)
