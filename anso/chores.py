"""The upkeep's chores of background work (anso/background/upkeep.py): imports and exports left by a
dead worker or a lost enqueue, mail whose run was lost, and what is past its retention."""

from anso.background.exports import export_files_expire, export_jobs_recover
from anso.background.imports import import_job_files_delete, import_jobs_recover
from anso.background.upkeep import chore_register
from anso.mail.dispatch import mail_bodies_delete, mail_due_dispatch

chore_register("imports.recover", import_jobs_recover)
chore_register("imports.delete_files", import_job_files_delete)
chore_register("exports.recover", export_jobs_recover)
chore_register("exports.delete_files", export_files_expire)
chore_register("mail.dispatch_due", mail_due_dispatch)
chore_register("mail.delete_bodies", mail_bodies_delete)
