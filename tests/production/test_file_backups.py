"""Uploaded files in backups (anso/backup.py): a restore puts back every file or none, keeps
working with backups made before files were backed up, and leaves a bucket alone. The whole
round trip through scripts/backup and scripts/restore is in test_data_safety.py."""

import io
import sqlite3
import tarfile
from pathlib import Path

import pytest

from anso.backup import backup, backup_files, files_archive, restore_all


@pytest.fixture
def site(tmp_path):
    """A site's SQLite database with one row, its media folder with two files, and a backup
    of both."""
    database = tmp_path / "site.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE note (text TEXT)")
        connection.execute("INSERT INTO note VALUES ('backed up')")
    connection.close()
    media = tmp_path / "media"
    (media / "documents").mkdir(parents=True)
    (media / "documents" / "agenda.pdf").write_bytes(b"agenda")
    (media / "photo.jpg").write_bytes(b"photo")
    env = {"DJANGO_MEDIA_ROOT": str(media)}
    dump = backup(tmp_path / "backups" / "site.sqlite3", url=f"sqlite:///{database}")
    backup_files(dump, env)
    return {
        "url": f"sqlite:///{database}",
        "database": database,
        "media": media,
        "env": env,
        "dump": dump,
    }


def _files(media: Path) -> dict[str, bytes]:
    return {
        p.relative_to(media).as_posix(): p.read_bytes() for p in media.rglob("*") if p.is_file()
    }


def _notes(database: Path) -> list[str]:
    connection = sqlite3.connect(database)
    try:
        return [row[0] for row in connection.execute("SELECT text FROM note")]
    finally:
        connection.close()


def _change(site) -> None:
    with sqlite3.connect(site["database"]) as connection:
        connection.execute("UPDATE note SET text = 'changed'")
    connection.close()
    (site["media"] / "photo.jpg").write_bytes(b"changed photo")
    (site["media"] / "new.txt").write_bytes(b"new")


def _leftovers(media: Path) -> list[str]:
    return sorted(p.name for p in media.parent.iterdir() if p.name.startswith(f".{media.name}-"))


def test_a_restore_puts_back_the_files_and_the_rows(site):
    _change(site)
    message = restore_all(site["dump"], url=site["url"], env=site["env"])
    assert "restored" in message
    assert _files(site["media"]) == {"documents/agenda.pdf": b"agenda", "photo.jpg": b"photo"}
    assert _notes(site["database"]) == ["backed up"]
    assert _leftovers(site["media"]) == []


def test_a_restore_on_a_new_machine_creates_the_media_folder(site, tmp_path):
    env = {"DJANGO_MEDIA_ROOT": str(tmp_path / "elsewhere" / "media")}
    restore_all(site["dump"], url=f"sqlite:///{tmp_path / 'new.sqlite3'}", env=env)
    assert _files(tmp_path / "elsewhere" / "media") == _files(site["media"])


def test_an_older_backup_without_files_leaves_the_files_alone(site):
    files_archive(site["dump"]).unlink()
    _change(site)
    before = _files(site["media"])
    message = restore_all(site["dump"], url=site["url"], env=site["env"])
    assert "left as it is" in message
    assert _files(site["media"]) == before
    assert _notes(site["database"]) == ["backed up"]


def test_an_unreadable_files_archive_changes_nothing(site):
    archive = files_archive(site["dump"])
    archive.write_bytes(archive.read_bytes()[:40])  # cut short
    _change(site)
    before = _files(site["media"])
    with pytest.raises(SystemExit, match="cannot be read"):
        restore_all(site["dump"], url=site["url"], env=site["env"])
    assert _files(site["media"]) == before
    assert _notes(site["database"]) == ["changed"]
    assert _leftovers(site["media"]) == []


def test_a_failed_database_restore_leaves_the_old_files(site):
    site["dump"].write_bytes(b"not a database" * 100)
    _change(site)
    before = _files(site["media"])
    with pytest.raises(sqlite3.DatabaseError):
        restore_all(site["dump"], url=site["url"], env=site["env"])
    assert _files(site["media"]) == before
    assert _leftovers(site["media"]) == []


def test_an_archive_that_writes_outside_the_media_folder_is_refused(site, tmp_path):
    archive = files_archive(site["dump"])
    with tarfile.open(archive, "w:gz") as tar:
        member = tarfile.TarInfo("../outside.txt")
        member.size = 4
        tar.addfile(member, io.BytesIO(b"evil"))
    before = _files(site["media"])
    with pytest.raises(SystemExit, match="cannot be read"):
        restore_all(site["dump"], url=site["url"], env=site["env"])
    assert not (tmp_path / "outside.txt").exists()
    assert _files(site["media"]) == before


def test_with_no_files_the_restore_empties_the_media_folder(tmp_path, site):
    empty = {"DJANGO_MEDIA_ROOT": str(tmp_path / "no-media-yet")}
    dump = backup(tmp_path / "b" / "site.sqlite3", url=site["url"])
    assert backup_files(dump, empty).startswith("Backed up 0 files")
    restore_all(dump, url=site["url"], env=site["env"])
    assert _files(site["media"]) == {}


def test_with_a_bucket_no_files_are_copied_and_the_restore_leaves_them(site, tmp_path):
    env = {**site["env"], "S3_BUCKET": "anso-files"}
    dump = backup(tmp_path / "b" / "site.sqlite3", url=site["url"])
    message = backup_files(dump, env)
    assert "anso-files" in message
    assert not files_archive(dump).exists()
    # Even with an archive beside it (a backup from before the move to the bucket).
    files_archive(dump).write_bytes(files_archive(site["dump"]).read_bytes())
    _change(site)
    before = _files(site["media"])
    assert "left as it is" in restore_all(dump, url=site["url"], env=env)
    assert _files(site["media"]) == before
