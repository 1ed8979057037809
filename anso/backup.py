"""Back up and restore the database named by DATABASE_URL and the uploaded files (used by
scripts/backup and scripts/restore; run as `python -m anso.backup backup|restore FILE`).

- PostgreSQL: `pg_dump --format=custom` / `pg_restore --clean --if-exists --no-owner`, in one
  transaction, so a failed restore leaves the database as it was.
- SQLite: SQLite's online backup API, which copies a consistent snapshot even while the site
  writes.

Uploaded files (anso/files/storage.py):
- on the local file system, `FILE.media.tar.gz` beside the database backup holds every file of
  MEDIA_ROOT (mode 0600 too). The restore unpacks it into a new folder beside MEDIA_ROOT before
  it touches the database, then swaps the folders: a failure leaves the old files, never half
  of them. A backup without that archive (made before files were backed up) restores the
  database and leaves the files as they are.
- in a bucket (S3_BUCKET), the files are not copied: the bucket is backed up on its own
  (versioning, replication or a sync: docs/deployment.md), and a restore leaves it alone.

No Django set-up is needed: only the environment is read, so a restore works on a database
that does not have the tables yet.
"""

import datetime
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import uuid
import zlib
from collections.abc import Mapping
from pathlib import Path

import dj_database_url

from anso.files.storage import bucket_from_environment, media_root_from_environment

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_URL = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"


def _config(url: str | None) -> dict:
    return dj_database_url.parse(url or os.environ.get("DATABASE_URL") or DEFAULT_URL)


def _is_postgres(config: dict) -> bool:
    return "postgresql" in config["ENGINE"]


def _pg_args_env(config: dict) -> tuple[list[str], dict]:
    args = []
    if config.get("HOST"):
        args += ["--host", str(config["HOST"])]
    if config.get("PORT"):
        args += ["--port", str(config["PORT"])]
    if config.get("USER"):
        args += ["--username", str(config["USER"])]
    env = dict(os.environ)
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = str(config["PASSWORD"])
    return args, env


def default_backup_path(url: str | None = None) -> Path:
    stamp = datetime.datetime.now(tz=datetime.UTC).strftime("%Y%m%d-%H%M%S")
    suffix = "dump" if _is_postgres(_config(url)) else "sqlite3"
    return BASE_DIR / "backups" / f"anso-{stamp}.{suffix}"


def _private_file(path: Path) -> None:
    """Create `path` (and its folder, if new) readable by the owner only, before anything is
    written to it: a backup holds password hashes and second-factor keys."""
    folder = path.parent
    if not folder.exists() or folder.resolve() == (BASE_DIR / "backups").resolve():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(descriptor)
    path.chmod(0o600)  # also when the file existed with a wider mode


def backup(path: Path, url: str | None = None) -> Path:
    """Write a backup to `path`, mode 0600 (a new folder 0700)."""
    config = _config(url)
    path = Path(path)
    _private_file(path)
    if _is_postgres(config):
        args, env = _pg_args_env(config)
        subprocess.run(  # noqa: S603 (fixed program, arguments from our settings)
            [_tool("pg_dump"), *args, "--format=custom", "--file", str(path), config["NAME"]],
            env=env,
            check=True,
        )
    else:
        source = sqlite3.connect(f"file:{config['NAME']}?mode=ro", uri=True)
        target = sqlite3.connect(path)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
    return path


def restore(path: Path, url: str | None = None) -> None:
    """Put the database back as `path` holds it (the files: `restore_all`)."""
    config = _config(url)
    path = Path(path)
    if not path.is_file():
        raise SystemExit(f"No backup file at {path}")
    if _is_postgres(config):
        args, env = _pg_args_env(config)
        subprocess.run(  # noqa: S603 (fixed program, arguments from our settings)
            [
                _tool("pg_restore"),
                *args,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                config["NAME"],
                str(path),
            ],
            env=env,
            check=True,
        )
    else:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(config["NAME"])
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()


def files_archive(path: Path) -> Path:
    """Where the backup of the database at `path` keeps the uploaded files."""
    path = Path(path)
    return path.with_name(path.name + ".media.tar.gz")


def backup_files(path: Path, env: Mapping[str, str] | None = None) -> str:
    """Back up the uploaded files beside the database backup at `path`; says what it did."""
    env = os.environ if env is None else env
    bucket = bucket_from_environment(env)
    if bucket:
        return (
            f"Files are in the bucket {bucket!r}, not in this backup: back the bucket up on "
            "its own (docs/deployment.md)."
        )
    media_root = media_root_from_environment(env, BASE_DIR)
    archive = files_archive(path)
    _private_file(archive)
    with tarfile.open(archive, "w:gz") as tar:
        entries = sorted(media_root.iterdir()) if media_root.is_dir() else []
        for entry in entries:
            tar.add(entry, arcname=entry.name)  # and what is inside it
        count = sum(1 for member in tar.getmembers() if member.isfile())
    return f"Backed up {count} files of {media_root} to {archive}"


def _unpack_files(archive: Path, media_root: Path) -> Path:
    """The archive unpacked into a new folder beside `media_root` (same file system, so it
    can be renamed into place); only plain files and folders inside it are accepted."""
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{media_root.name}-restoring-", dir=media_root.parent))
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(staged, filter="data")
        umask = os.umask(0)
        os.umask(umask)
        staged.chmod(media_root.stat().st_mode & 0o7777 if media_root.exists() else 0o777 & ~umask)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return staged


def _swap_in(staged: Path, media_root: Path) -> None:
    """Make `staged` the media folder, in two renames; the old folder is removed last."""
    previous = None
    if media_root.exists():
        previous = media_root.with_name(f".{media_root.name}-replaced-{uuid.uuid4().hex[:12]}")
        media_root.rename(previous)
    try:
        staged.rename(media_root)
    except BaseException:
        if previous is not None:
            previous.rename(media_root)
        raise
    if previous is not None:
        shutil.rmtree(previous)


def restore_all(path: Path, url: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """Restore the database and, on the local file system, the files backed up with it.
    The files are unpacked first; the database is restored; then the new files replace the
    old ones. Says what happened to the files."""
    env = os.environ if env is None else env
    path = Path(path)
    if not path.is_file():
        raise SystemExit(f"No backup file at {path}")
    archive = files_archive(path)
    bucket = bucket_from_environment(env)
    media_root = media_root_from_environment(env, BASE_DIR)
    staged = None
    if not bucket and archive.is_file():
        try:
            staged = _unpack_files(archive, media_root)
        except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
            raise SystemExit(f"The files archive {archive} cannot be read: {error}") from error
    try:
        restore(path, url)
    except BaseException:
        if staged is not None:
            shutil.rmtree(staged, ignore_errors=True)
        raise
    if bucket:
        return f"Files: the bucket {bucket!r} was left as it is."
    if staged is None:
        return f"Files: no {archive.name} beside the backup; {media_root} was left as it is."
    _swap_in(staged, media_root)
    return f"Files of {media_root} restored from {archive}"


def _tool(name: str) -> str:
    """pg_dump/pg_restore from PATH, else the newest from Debian's server packages."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0,
    )
    if candidates:
        return str(candidates[-1])
    raise SystemExit(f"{name} is not installed (apt-get install postgresql-client)")


def main(argv: list[str]) -> int:
    if len(argv) < 1 or argv[0] not in {"backup", "restore"}:
        print("usage: python -m anso.backup backup [FILE] | restore FILE", file=sys.stderr)
        return 2
    if argv[0] == "backup":
        path = backup(Path(argv[1]) if len(argv) > 1 else default_backup_path())
        print(f"Backed up to {path}")
        print(backup_files(path))
    else:
        if len(argv) < 2:
            print("usage: python -m anso.backup restore FILE", file=sys.stderr)
            return 2
        files = restore_all(Path(argv[1]))
        print(f"Restored {argv[1]}")
        print(files)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
