"""Batches of papers made by the worker (meetings/papers/batches.py): the real task runs (the
immediate backend, as the worker would, after the commit), the PDF it writes has the pages and
names, its progress is recorded chunk by chunk, certificates are issued through their service,
the pages and ways in answer whom they should, and the upkeep recovers what a dead worker
left and deletes old files."""

import datetime
import io
import zipfile

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.base import ContentFile
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from meetings.attendance.models import ParticipationStatus
from meetings.papers import batches
from meetings.papers.models import Paper, PaperBatch, PaperBatchKind, PaperBatchStatus
from tests.factories import MeetingFactory, ParticipationFactory, PersonFactory, UserFactory
from tests.meetings.papers.test_sheets import flat_text, registrant

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return MeetingFactory(is_published=True)


def registrants(meeting, n, status=ParticipationStatus.REGISTERED):
    return [
        ParticipationFactory(
            meeting=meeting,
            person=PersonFactory(family_name=f"Family{number:03d}", given_name="Given"),
            status=status,
        )
        for number in range(n)
    ]


def control_url(meeting):
    return reverse(
        "meetings:meeting_control", kwargs={"year": meeting.start_date.year, "slug": meeting.slug}
    )


def create_url(meeting):
    return reverse(
        "meetings:paper_batch_create",
        kwargs={"year": meeting.start_date.year, "slug": meeting.slug},
    )


def file_of(batch) -> bytes:
    batch.refresh_from_db()
    with batch.file.open("rb") as handle:
        return handle.read()


def queue(meeting, kind, *, by=None, participations=None, capture):
    """A batch created and run as the worker runs it: after the commit."""
    with capture(execute=True):
        return batches.paper_batch_create(
            meeting=meeting, kind=kind, by=by, language="en", participations=participations
        )


# --- the task ----------------------------------------------------------------------------------


def test_badge_batch_writes_one_pdf_of_every_registrant_in_chunks(
    meeting, monkeypatch, django_capture_on_commit_callbacks
):
    """Chunks of eight join into full pages: 17 badges are three pages, the names all there,
    and the progress was recorded after each chunk."""
    monkeypatch.setitem(batches.CHUNK, PaperBatchKind.BADGES, 8)
    registrants(meeting, 17)
    registrant(meeting, "chinese")
    ParticipationFactory(meeting=meeting, status=ParticipationStatus.CANCELLED)
    recorded = []
    progress = batches._progress
    monkeypatch.setattr(
        batches,
        "_progress",
        lambda batch, **kw: recorded.append(kw["done"]) or progress(batch, **kw),
    )
    batch = queue(meeting, PaperBatchKind.BADGES, capture=django_capture_on_commit_callbacks)
    batch.refresh_from_db()
    assert batch.status == PaperBatchStatus.DONE
    assert (batch.done, batch.total) == (18, 18)
    assert recorded == [8, 16, 18]
    assert batch.finished_at is not None
    pdf = PdfReader(io.BytesIO(file_of(batch)))
    assert len(pdf.pages) == 3
    text = flat_text(pdf)
    assert text.count("Family") == 17
    assert "曹京华" in text


def test_table_tent_batch_of_chosen_participations(meeting, django_capture_on_commit_callbacks):
    chosen = registrants(meeting, 3)
    registrants(meeting, 2)  # not chosen
    batch = queue(
        meeting,
        PaperBatchKind.TABLE_TENTS,
        participations=meeting.participations.filter(pk__in=[p.pk for p in chosen]),
        capture=django_capture_on_commit_callbacks,
    )
    batch.refresh_from_db()
    assert batch.status == PaperBatchStatus.DONE
    assert (batch.done, batch.total) == (3, 3)
    assert len(PdfReader(io.BytesIO(file_of(batch))).pages) == 3
    assert batch.filename == f"{meeting.slug}-table-tents.pdf"


def test_certificate_batch_issues_each_paper_through_its_service(
    meeting, secretariat_user, django_capture_on_commit_callbacks
):
    attended = registrants(meeting, 3, status=ParticipationStatus.ATTENDED)
    absent = registrants(meeting, 1, status=ParticipationStatus.ABSENT)
    batch = queue(
        meeting,
        PaperBatchKind.CERTIFICATES,
        by=secretariat_user,
        participations=meeting.participations.all(),
        capture=django_capture_on_commit_callbacks,
    )
    batch.refresh_from_db()
    assert batch.status == PaperBatchStatus.DONE
    assert (batch.done, batch.total, batch.skipped) == (4, 4, 1)
    papers = Paper.objects.certificates().filter(meeting=meeting)
    assert {paper.participation_id for paper in papers} == {p.pk for p in attended}
    assert absent[0].papers.count() == 0
    for paper in papers:  # written by the service: its history names who asked
        record = paper.history.get()
        assert record.history_user == secretariat_user
        assert record.history_change_reason == "issued"
        assert paper.issued_by == secretariat_user
    archive = zipfile.ZipFile(io.BytesIO(file_of(batch)))
    assert sorted(archive.namelist()) == sorted(paper.filename for paper in papers)
    for paper in papers:
        with paper.file.open("rb") as handle:
            assert archive.read(paper.filename) == handle.read()


def test_certificate_batch_of_the_whole_meeting_takes_those_who_attended(
    meeting, django_capture_on_commit_callbacks
):
    registrants(meeting, 2, status=ParticipationStatus.ATTENDED)
    registrants(meeting, 2)
    batch = queue(meeting, PaperBatchKind.CERTIFICATES, capture=django_capture_on_commit_callbacks)
    batch.refresh_from_db()
    assert (batch.status, batch.done, batch.total, batch.skipped) == ("done", 2, 2, 0)
    # Run again, it gives the same papers (the service's standing certificate), in the same
    # archive: each paper dated when it was issued (a day ago here), not when it is written.
    Paper.objects.filter(meeting=meeting).update(issued_at=F("issued_at") - datetime.timedelta(1))
    batch2 = queue(meeting, PaperBatchKind.CERTIFICATES, capture=django_capture_on_commit_callbacks)
    papers = Paper.objects.filter(meeting=meeting)
    assert papers.count() == 2
    archive = zipfile.ZipFile(io.BytesIO(file_of(batch2)))
    for paper in papers:
        issued = timezone.localtime(paper.issued_at).timetuple()[:6]
        assert archive.getinfo(paper.filename).date_time == (*issued[:5], issued[5] // 2 * 2)
        with paper.file.open("rb") as handle:
            assert archive.read(paper.filename) == handle.read()


def test_a_batch_that_stops_fails_with_its_error_and_is_tried_again(
    meeting, monkeypatch, django_capture_on_commit_callbacks
):
    registrants(meeting, 2)

    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(batches.render, "render_document", broken)
    queue(meeting, PaperBatchKind.BADGES, capture=django_capture_on_commit_callbacks)
    batch = PaperBatch.objects.get()
    assert batch.status == PaperBatchStatus.FAILED
    assert "unexpected error" in batch.error
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert batches.paper_batch_retry(batch=batch)
    batch.refresh_from_db()
    assert (batch.status, batch.done, batch.error) == (PaperBatchStatus.DONE, 2, "")


def test_a_run_the_upkeep_gave_up_on_stops_at_its_next_chunk(meeting, monkeypatch):
    """A slow run whose batch was queued again (a new attempt) stops writing its progress
    and leaves the batch to the new run."""
    registrants(meeting, 3)
    batch = batches.paper_batch_create(
        meeting=meeting, kind=PaperBatchKind.TABLE_TENTS, by=None, language="en"
    )  # not run: the test's transaction does not commit
    monkeypatch.setitem(batches.CHUNK, PaperBatchKind.TABLE_TENTS, 1)
    real = batches.render.render_document

    def meanwhile(*args, **kwargs):
        PaperBatch.objects.filter(pk=batch.pk).update(attempts=2)  # the upkeep's new run
        return real(*args, **kwargs)

    monkeypatch.setattr(batches.render, "render_document", meanwhile)
    assert batches.paper_batch_run(batch_pk=batch.pk) == "taken"
    batch.refresh_from_db()
    assert batch.status == PaperBatchStatus.RUNNING
    assert not batch.file


# --- the pages ---------------------------------------------------------------------------------


def test_control_page_links_the_sheets_under_the_threshold_and_queues_over_it(
    settings, secretariat_client, meeting, django_capture_on_commit_callbacks
):
    settings.PAPERS_BATCH_THRESHOLD = 2
    registrants(meeting, 2)
    page = secretariat_client.get(control_url(meeting)).content.decode()
    assert 'id="tool-badges"' in page
    assert "tool-badges-batch" not in page
    registrants(meeting, 1)
    page = secretariat_client.get(control_url(meeting)).content.decode()
    assert 'id="tool-badges"' not in page
    assert 'id="tool-badges-batch"' in page
    assert 'id="tool-table-tents-batch"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(create_url(meeting), {"kind": "badges"})
    batch = PaperBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == batch.get_absolute_url()
    assert batch.status == PaperBatchStatus.DONE
    assert batch.language == "en"
    page = secretariat_client.get(control_url(meeting)).content.decode()
    assert batch.get_absolute_url() in page  # the control page links its latest batches


def test_batch_page_shows_progress_then_the_download(secretariat_client, meeting):
    batch = PaperBatch.objects.create(
        meeting=meeting, kind=PaperBatchKind.BADGES, status="running", total=480, done=120
    )
    page = secretariat_client.get(batch.get_absolute_url()).content.decode()
    assert '<span data-field="done">120</span> of <span data-field="total">480</span>' in page
    assert f'data-status-url="{batch.get_status_url()}"' in page
    assert "js/paper-batch.js" in page
    assert 'data-field="download" hidden' in page
    status = secretariat_client.get(batch.get_status_url()).json()
    assert status == {
        "status": "running",
        "status_label": "being made",
        "done": 120,
        "total": 480,
        "skipped": 0,
        "running": True,
        "download_url": "",
        "error": "",
    }
    assert secretariat_client.get(batch.get_download_url()).status_code == 404
    batch.file.save("badges.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
    batch.status, batch.done, batch.finished_at = "done", 480, timezone.now()
    batch.save()
    page = secretariat_client.get(batch.get_absolute_url()).content.decode()
    assert "data-status-url" not in page
    assert f'<a href="{batch.get_download_url()}">' in page
    assert secretariat_client.get(batch.get_status_url()).json()["download_url"] == (
        batch.get_download_url()
    )
    response = secretariat_client.get(batch.get_download_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])


def test_failed_batch_page_shows_the_error_and_try_again(
    secretariat_client, meeting, django_capture_on_commit_callbacks
):
    registrants(meeting, 1)
    batch = PaperBatch.objects.create(
        meeting=meeting,
        kind=PaperBatchKind.BADGES,
        status="failed",
        error="The background worker stopped.",
        finished_at=timezone.now(),
    )
    page = secretariat_client.get(batch.get_absolute_url()).content.decode()
    assert "The background worker stopped." in page
    assert f'action="{batch.get_retry_url()}"' in page
    assert "Try again" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(batch.get_retry_url())
    assert response["Location"] == batch.get_absolute_url()
    batch.refresh_from_db()
    assert (batch.status, batch.done, batch.total) == ("done", 1, 1)


def test_batch_of_another_meeting_is_not_found(secretariat_client, meeting):
    batch = PaperBatch.objects.create(meeting=MeetingFactory(), kind=PaperBatchKind.BADGES)
    url = reverse(
        "meetings:paper_batch",
        kwargs={"year": meeting.start_date.year, "slug": meeting.slug, "pk": batch.pk},
    )
    assert secretariat_client.get(url).status_code == 404


def test_batch_pages_need_the_permission(client, meeting, outsider_staff_user):
    batch = PaperBatch.objects.create(meeting=meeting, kind=PaperBatchKind.BADGES)
    client.force_login(outsider_staff_user)
    for url in (batch.get_absolute_url(), batch.get_status_url(), batch.get_download_url()):
        assert client.get(url).status_code == 403
    assert client.post(batch.get_retry_url()).status_code == 403
    assert client.post(create_url(meeting), {"kind": "badges"}).status_code == 403
    assert not PaperBatch.objects.exclude(pk=batch.pk).exists()


def test_certificate_batch_needs_the_right_to_issue_them(client, meeting):
    """Whoever may only view participations sees the sheets' batches, not the certificates'."""
    from django.contrib.auth.models import Permission

    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_participation"))
    client.force_login(viewer)
    sheets = PaperBatch.objects.create(meeting=meeting, kind=PaperBatchKind.BADGES)
    certificates = PaperBatch.objects.create(meeting=meeting, kind=PaperBatchKind.CERTIFICATES)
    assert client.get(sheets.get_absolute_url()).status_code == 200
    assert client.get(certificates.get_absolute_url()).status_code == 403
    assert client.get(certificates.get_download_url()).status_code == 403


def test_an_empty_choice_is_refused_not_read_as_the_whole_meeting(meeting):
    other = registrants(MeetingFactory(), 1)[0]
    with pytest.raises(ValueError):
        batches.paper_batch_create(
            meeting=meeting,
            kind=PaperBatchKind.BADGES,
            by=None,
            language="en",
            participations=other.__class__.objects.filter(pk=other.pk),
        )
    assert not PaperBatch.objects.exists()


def test_create_takes_sheets_only(secretariat_client, meeting):
    response = secretariat_client.post(create_url(meeting), {"kind": "certificates"})
    assert response.status_code == 400
    assert not PaperBatch.objects.exists()


# --- the admin's ways in -----------------------------------------------------------------------


def changelist_action(client, model, action, pks):
    return client.post(
        reverse(f"admin:meetings_{model}_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [str(pk) for pk in pks]},
    )


def test_admin_badges_of_a_large_selection_are_queued(
    settings, secretariat_client, meeting, django_capture_on_commit_callbacks
):
    settings.PAPERS_BATCH_THRESHOLD = 2
    chosen = registrants(meeting, 3)
    registrants(meeting, 1)
    with django_capture_on_commit_callbacks(execute=True):
        response = changelist_action(
            secretariat_client, "participation", "print_badges", [p.pk for p in chosen]
        )
    batch = PaperBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == batch.get_absolute_url()
    assert set(batch.participations.values_list("pk", flat=True)) == {p.pk for p in chosen}
    assert (batch.kind, batch.status, batch.total) == ("badges", "done", 3)
    # A small selection is still printed within the request.
    response = changelist_action(
        secretariat_client, "participation", "print_badges", [chosen[0].pk]
    )
    assert response["Content-Type"] == "application/pdf"
    assert PaperBatch.objects.count() == 1


def test_admin_certificates_of_a_large_selection_are_queued_per_meeting(
    settings, secretariat_client, meeting, django_capture_on_commit_callbacks
):
    settings.PAPERS_BATCH_THRESHOLD = 1
    here = registrants(meeting, 2, status=ParticipationStatus.ATTENDED)
    there = registrants(MeetingFactory(), 1, status=ParticipationStatus.ATTENDED)
    with django_capture_on_commit_callbacks(execute=True):
        response = changelist_action(
            secretariat_client,
            "participation",
            "issue_certificates",
            [p.pk for p in here + there],
        )
    assert response.status_code == 302  # back to the list: two batches, each linked
    assert PaperBatch.objects.filter(kind="certificates", status="done").count() == 2
    assert Paper.objects.certificates().count() == 3


def test_admin_meetings_action_issues_all_certificates(
    secretariat_client, meeting, django_capture_on_commit_callbacks
):
    registrants(meeting, 2, status=ParticipationStatus.ATTENDED)
    registrants(meeting, 1)
    with django_capture_on_commit_callbacks(execute=True):
        response = changelist_action(
            secretariat_client, "meeting", "issue_all_certificates", [meeting.pk]
        )
    batch = PaperBatch.objects.get()
    assert response["Location"] == batch.get_absolute_url()
    assert (batch.status, batch.done) == ("done", 2)
    assert Paper.objects.certificates().filter(meeting=meeting).count() == 2


def test_admin_meetings_action_needs_the_right_to_issue(client, meeting):
    from django.contrib.auth.models import Permission

    viewer = UserFactory(username="meeting-editor", is_staff=True)
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_meeting", "change_meeting"])
    )
    client.force_login(viewer)
    response = changelist_action(client, "meeting", "issue_all_certificates", [meeting.pk])
    assert not PaperBatch.objects.exists()
    assert response.status_code in (200, 302)


def test_batches_are_listed_read_only_in_the_admin(secretariat_client, meeting):
    batch = PaperBatch.objects.create(meeting=meeting, kind=PaperBatchKind.BADGES)
    page = secretariat_client.get(reverse("admin:meetings_paperbatch_changelist"))
    assert page.status_code == 200
    assert batch.get_absolute_url() in page.content.decode()
    assert secretariat_client.get(reverse("admin:meetings_paperbatch_add")).status_code == 403


# --- the upkeep --------------------------------------------------------------------------------


def test_upkeep_queues_a_stuck_batch_again_then_fails_it(
    settings, meeting, django_capture_on_commit_callbacks
):
    registrants(meeting, 2)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    batch = PaperBatch.objects.create(
        meeting=meeting,
        kind=PaperBatchKind.BADGES,
        status="running",
        total=2,
        done=1,
        queued_at=long_ago,
        started_at=long_ago,
        progress_at=long_ago,
        attempts=1,
    )
    recent = PaperBatch.objects.create(
        meeting=meeting,
        kind=PaperBatchKind.BADGES,
        status="running",
        queued_at=timezone.now(),
        progress_at=timezone.now(),
        attempts=1,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert batches.paper_batches_recover() == 1
    batch.refresh_from_db()
    assert (batch.status, batch.attempts, batch.done) == ("done", 2, 2)
    recent.refresh_from_db()
    assert recent.status == "running"  # a live worker's: left to it

    PaperBatch.objects.filter(pk=recent.pk).update(
        progress_at=long_ago, attempts=settings.PAPERS_BATCH_ATTEMPTS
    )
    assert batches.paper_batches_recover() == 1
    recent.refresh_from_db()
    assert recent.status == "failed"
    assert "stopped before the batch was made, 3 times" in recent.error


def test_upkeep_deletes_files_past_their_days(settings, meeting):
    settings.PAPERS_BATCH_DAYS = 7
    now = timezone.now()
    old, new = (
        PaperBatch.objects.create(
            meeting=meeting, kind=PaperBatchKind.BADGES, status="done", finished_at=finished
        )
        for finished in (now - datetime.timedelta(days=8), now - datetime.timedelta(days=6))
    )
    for batch in (old, new):
        batch.file.save("badges.pdf", ContentFile(b"%PDF-1.7\n"))
    old_name = old.file.name
    assert batches.paper_batch_files_delete() == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert not old.file
    assert not old.file.storage.exists(old_name)
    assert new.file


def test_upkeep_registers_the_chores():
    from anso.background.upkeep import chore_names

    assert {"meetings.paper_batches_recover", "meetings.paper_batch_files_delete"} <= set(
        chore_names()
    )


def test_constraints_have_names(meeting):
    from django.db import IntegrityError, transaction

    with transaction.atomic(), pytest.raises(IntegrityError):
        PaperBatch.objects.create(meeting=meeting, kind="badges", total=1, done=2)
    with transaction.atomic(), pytest.raises(IntegrityError):
        PaperBatch.objects.create(meeting=meeting, kind="badges", status="failed")


# --- the real worker ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_makes_a_queued_batch(settings, meeting):
    """Queued in the database as the site queues it, taken by `db_worker` as in production."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    registrants(meeting, 9)
    batch = batches.paper_batch_create(
        meeting=meeting, kind=PaperBatchKind.BADGES, by=None, language="zh-hans"
    )
    batch.refresh_from_db()
    assert (batch.status, batch.done, batch.total) == ("queued", 0, 9)
    assert DBTaskResult.objects.get().task_path == "meetings.papers.batches.run_paper_batch"
    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    batch.refresh_from_db()
    assert (batch.status, batch.done) == ("done", 9)
    pdf = PdfReader(io.BytesIO(file_of(batch)))
    assert len(pdf.pages) == 2
    assert flat_text(pdf).count("Family") == 9
