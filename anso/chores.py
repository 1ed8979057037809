"""The upkeep's chores of background work (anso/upkeep.py): imports left by a dead worker,
and what is past its retention."""

from .imports import import_job_files_delete, import_jobs_recover
from .upkeep import chore_register

chore_register("imports.recover", import_jobs_recover)
chore_register("imports.delete_files", import_job_files_delete)
