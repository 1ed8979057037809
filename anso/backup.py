"""Back up and restore the database named by DATABASE_URL (used by scripts/backup and
scripts/restore; run as `python -m anso.backup backup|restore FILE`).

- PostgreSQL: `pg_dump --format=custom` / `pg_restore --clean --if-exists --no-owner`, in one
  transaction, so a failed restore leaves the database as it was.
- SQLite: SQLite's online backup API, which copies a consistent snapshot even while the site
  writes.

No Django set-up is needed: only the URL is read, so a restore works on a database that does
not have the tables yet.
"""

import datetime
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import dj_database_url

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
    else:
        if len(argv) < 2:
            print("usage: python -m anso.backup restore FILE", file=sys.stderr)
            return 2
        restore(Path(argv[1]))
        print(f"Restored {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
