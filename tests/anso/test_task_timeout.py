"""The long tasks get the time they need on RQ: RQ stops a job after its timeout (180 seconds
unless the queue says otherwise), and an import of 50,000 rows takes about 4 minutes."""

from pathlib import Path

import pytest
from rq.queue import Queue

from anso.background.imports import import_job_create
from anso.mail.sending import send_after_commit
from meetings.invitations.models import Mailing
from tests.meetings.invitations.helpers import (
    compose_url,
    composer_data,
    open_meeting,
    working_group,
)

from .test_worker import rq_queue  # noqa: F401  (a fixture)

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.mark.django_db(transaction=True)
def test_rq_jobs_of_imports_mailings_and_mail_carry_the_long_timeout(
    rq_queue,  # noqa: F811
    settings,
    secretariat_client,
    secretariat_user,
):
    assert settings.TASKS_TIMEOUT > Queue.DEFAULT_TIMEOUT
    import_job_create(
        user=secretariat_user,
        model_label="members.organization",
        resource_path="members.resources.OrganizationResource",
        input_format="csv",
        file_name="organizations.csv",
        data=(DATA / "organizations.csv").read_bytes(),
    )
    working_group(1)
    response = secretariat_client.post(compose_url(open_meeting()), composer_data(send="1"))
    assert response.status_code == 302
    assert Mailing.objects.exists()
    send_after_commit(subject="S", body="B", to=["a@example.org"])

    jobs = {job.func_name: job.timeout for job in rq_queue.get_jobs()}
    assert jobs == {
        "anso.background.imports.run_import_job": settings.TASKS_TIMEOUT,
        "meetings.invitations.services.deliver_mailing": settings.TASKS_TIMEOUT,
        "anso.mail.dispatch.dispatch_mail": settings.TASKS_TIMEOUT,
    }
