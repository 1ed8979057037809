"""Never lose data: PROTECT refuses deletes that would orphan records (in the ORM and the
admin), history reverts a change, and a backup restores every row into an empty database."""

import os
import sqlite3
import stat
import subprocess
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.db.models import ProtectedError
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from anso.backup import backup, files_archive
from meetings.models import Meeting
from members.models import Organization, Person
from tests.factories import (
    ActionFactory,
    DecisionFactory,
    MeetingFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
    PositionFactory,
    SessionFactory,
    SpeakerFactory,
)

BASE_DIR = Path(settings.BASE_DIR)


# PROTECT --------------------------------------------------------------------------------------


@pytest.fixture
def linked(db):
    """An organization with a person, who attended a meeting."""
    organization = OrganizationFactory(name="Protected Institute")
    person = PersonFactory(organization=organization, given_name="Ada", family_name="Guard")
    participation = ParticipationFactory(person=person)
    return {"organization": organization, "person": person, "meeting": participation.meeting}


@pytest.mark.parametrize("kind", ["organization", "person", "meeting"])
def test_orm_refuses_to_delete_what_others_point_to(linked, kind):
    with pytest.raises(ProtectedError):
        linked[kind].delete()
    type(linked[kind]).objects.get(pk=linked[kind].pk)


@pytest.mark.parametrize("kind", ["organization", "person", "meeting"])
def test_admin_refuses_delete_and_says_what_points_to_it(client, superuser, linked, kind):
    """Only superusers may delete these at all; even they are told what points to the record
    and nothing is deleted."""
    obj = linked[kind]
    client.force_login(superuser)
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_delete", args=[obj.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b"would require deleting the following protected related objects" in page.content
    assert b"Dr. Ada Guard" in page.content
    refused = client.post(url, {"post": "yes"})
    assert refused.status_code == 200
    assert b"Cannot delete" in refused.content
    type(obj).objects.get(pk=obj.pk)


# History ---------------------------------------------------------------------------------------


def _revert_through_history_view(client, organization):
    history_id = organization.history.earliest().history_id
    url = reverse("admin:members_organization_simple_history", args=[organization.pk, history_id])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = value
    response = client.post(url, data)
    assert response.status_code == 302, getattr(response, "context", None)


def test_admin_history_view_reverts_a_change(client, superuser):
    assert isinstance(admin.site._registry.get(Organization), SimpleHistoryAdmin)
    organization = OrganizationFactory(name="Original Name Institute")
    organization.name = "Mistaken Name Institute"
    organization.save()
    client.force_login(superuser)
    _revert_through_history_view(client, organization)
    organization.refresh_from_db()
    assert organization.name == "Original Name Institute"
    assert organization.history.count() == 3


#: What the Secretariat edits, whose every change must be kept (and can be reverted).
HISTORY_REQUIRED = [
    ("members", "Organization"),
    ("members", "Person"),
    ("members", "Position"),
    ("members", "Nomination"),
    ("meetings", "Meeting"),
    ("meetings", "Session"),
    ("meetings", "Participation"),
    ("meetings", "Action"),
    ("meetings", "Decision"),
    ("meetings", "AgendaItem"),
]


@pytest.mark.parametrize(("app_label", "model_name"), HISTORY_REQUIRED)
def test_records_keep_history(app_label, model_name):
    from django.apps import apps

    model = apps.get_model(app_label, model_name)
    assert hasattr(model, "history"), f"{model_name} keeps no history"
    assert model.history.model.__name__ == f"Historical{model_name}"


# Backup and restore ----------------------------------------------------------------------------


def _make_demo_data():
    call_command("load_demo", verbosity=0)
    organization = OrganizationFactory()
    unit = OrganizationFactory(parent=organization)
    people = [PersonFactory(organization=unit) for _ in range(3)]
    PositionFactory(person=people[0])
    meeting = MeetingFactory()
    session = SessionFactory(meeting=meeting, chair=people[1])
    SpeakerFactory(item__session=session, person=people[2])
    for person in people:
        ParticipationFactory(meeting=meeting, person=person)
    decision = DecisionFactory(meeting=meeting)
    ActionFactory(endorsed_by=decision, endorsed_at=meeting)
    assert Meeting.objects.exists() and Person.objects.count() >= 3


def _rows(cursor, tables):
    result = {}
    for table in tables:
        cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608 (table names)
        result[table] = [tuple(str(value) for value in row) for row in cursor.fetchall()]
    return result


def _run(script, *args, database_url, media_root=None, extra_env=None):
    env = {
        "DATABASE_URL": database_url,
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_DEBUG": os.environ["DJANGO_DEBUG"],  # the suite's mode (pyproject.toml)
    }
    if media_root is not None:
        env["DJANGO_MEDIA_ROOT"] = str(media_root)
    env.update(extra_env or {})
    return subprocess.run(  # noqa: S603 (our own scripts)
        [str(BASE_DIR / "scripts" / script), *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )


@pytest.mark.django_db(transaction=True)
def test_backup_restores_every_row_into_an_empty_database(tmp_path):
    _make_demo_data()
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        before = _rows(cursor, tables)
    assert sum(len(rows) for rows in before.values()) > 50

    media = tmp_path / "media"
    files = _write_files(media)
    if connection.vendor == "postgresql":
        _backup_and_restore_postgres(tmp_path, tables, before, media)
    else:
        _backup_and_restore_sqlite(tmp_path, tables, before, media)
    assert _files(media) == files


# Uploaded files, backed up with the database.
UPLOADS = {
    "documents/2026/agenda.pdf": b"%PDF-1.4 agenda",
    "documents/2026/会议纪要 (final).docx": b"PK\x03\x04 minutes",
    "photos/group.jpg": bytes(range(256)) * 64,
}


def _write_files(media: Path) -> dict[str, bytes]:
    for name, content in UPLOADS.items():
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(content)
    return _files(media)


def _files(media: Path) -> dict[str, bytes]:
    return {
        path.relative_to(media).as_posix(): path.read_bytes()
        for path in media.rglob("*")
        if path.is_file()
    }


def _change_files(media: Path) -> None:
    """What happens between a backup and a restore: a file deleted, one replaced, one added."""
    (media / "photos/group.jpg").unlink()
    (media / "documents/2026/agenda.pdf").write_bytes(b"another agenda")
    (media / "documents/2027").mkdir()
    (media / "documents/2027/new.pdf").write_bytes(b"uploaded after the backup")


def _assert_files_archive(dump: Path) -> None:
    archive = files_archive(dump)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # members-only documents
    with tarfile.open(archive) as tar:
        assert sorted(member.name for member in tar.getmembers() if member.isfile()) == sorted(
            UPLOADS
        )


def _assert_private(dump: Path) -> None:
    """A backup holds password hashes and second-factor keys: the owner alone reads it."""
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600
    assert stat.S_IMODE(dump.parent.stat().st_mode) == 0o700


def test_backup_overwrites_a_readable_file_as_owner_only(tmp_path):
    """Also a file that was there before with a wider mode, whatever the umask."""
    source = tmp_path / "site.sqlite3"
    sqlite3.connect(source).close()
    dump = tmp_path / "new-folder" / "backup.sqlite3"
    dump.parent.mkdir(mode=0o755)
    dump.write_bytes(b"")
    dump.chmod(0o644)
    backup(dump, url=f"sqlite:///{source}")
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600


def _backup_and_restore_sqlite(tmp_path, tables, before, media):
    # The test database lives in memory: copy it to a file as a running site's database.
    source = tmp_path / "site.sqlite3"
    target = sqlite3.connect(source)
    connection.ensure_connection()
    connection.connection.backup(target)
    # Read back as plain sqlite3 sees it (Django's connection converts booleans and dates).
    before = _rows(target.cursor(), tables)
    target.close()
    dump = tmp_path / "backups" / "backup.sqlite3"
    _run("backup", str(dump), database_url=f"sqlite:///{source}", media_root=media)
    assert dump.stat().st_size > 0
    _assert_private(dump)
    _assert_files_archive(dump)
    _change_files(media)
    restored = tmp_path / "restored.sqlite3"  # does not exist yet: an empty database
    _run("restore", str(dump), database_url=f"sqlite:///{restored}", media_root=media)
    after_connection = sqlite3.connect(restored)
    try:
        after = _rows(after_connection.cursor(), tables)
    finally:
        after_connection.close()
    assert after == before


def _backup_and_restore_postgres(tmp_path, tables, before, media):
    import psycopg2

    params = connection.settings_dict
    base = f"postgres://{params['USER']}"
    if params.get("PASSWORD"):
        base += f":{params['PASSWORD']}"
    base += f"@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
    dump = tmp_path / "backups" / "backup.dump"
    _run("backup", str(dump), database_url=f"{base}/{params['NAME']}", media_root=media)
    _assert_private(dump)
    _assert_files_archive(dump)
    _change_files(media)
    empty = f"anso_restore_{uuid.uuid4().hex[:12]}"
    admin_connection = psycopg2.connect(
        dbname="postgres",
        user=params["USER"],
        password=params.get("PASSWORD") or None,
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
    )
    admin_connection.autocommit = True
    try:
        with admin_connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{empty}"')
        _run("restore", str(dump), database_url=f"{base}/{empty}", media_root=media)
        restored = psycopg2.connect(
            dbname=empty,
            user=params["USER"],
            password=params.get("PASSWORD") or None,
            host=params["HOST"] or "127.0.0.1",
            port=params["PORT"] or 5432,
        )
        try:
            after = _rows(restored.cursor(), tables)
        finally:
            restored.close()
    finally:
        with admin_connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{empty}"')
        admin_connection.close()
    assert after == before
