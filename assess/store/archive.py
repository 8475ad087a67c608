"""Backups that restore everything: one archive with the database and the evidence files.

An archive is a tar file (gzip-compressed when its name ends in .gz or .tgz) holding

    assess-backup/assess.sqlite     the database, copied consistently (backup.backup: VACUUM INTO)
    assess-backup/evidence/…        every file under the evidence folder, taken after that copy
    assess-backup/manifest.json     what the archive holds: the schema, the row counts, and the
                                    size and SHA-256 of every file in it

The database is copied first and the files after it, so every file a row of the copy names is
there unless it was deleted in between; the backup command then reads the archive back and runs
the database check on it, which finds such a file. A file uploaded in between is in the archive
without a row: harmless.

Reading an archive extracts it into an empty folder and checks it: only regular files and folders
under assess-backup/, no absolute names, no "..", no links or devices, and every file matching the
manifest's size and digest, the manifest listing every file there is. No Flask here.
"""

from __future__ import annotations

import hashlib
import json
import os
import tarfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from assess.store import backup
from assess.store.backup import BackupError

ROOT = "assess-backup"
DATABASE = "assess.sqlite"
EVIDENCE = "evidence"
MANIFEST = "manifest.json"
FORMAT = 1
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Archive:
    """A finished archive: where, how big, its database's row counts, its files."""

    path: Path
    size: int
    counts: dict[str, int]
    files: int
    file_bytes: int
    seconds: float


@dataclass(frozen=True)
class Contents:
    """An archive extracted and checked: its database file, its evidence folder, its manifest."""

    database: Path
    evidence: Path
    manifest: dict


def is_archive(path: Path) -> bool:
    """Whether path is an archive (a tar file) rather than a database-only backup."""
    with path.open("rb") as f:
        if f.read(len(backup.SQLITE_HEADER)) == backup.SQLITE_HEADER:
            return False
    return tarfile.is_tarfile(path)


def write(database: str | Path, evidence_dir: str | Path, target: str | Path, *, force=False):
    """Write the archive of the live database and evidence folder to target; never half-written
    under target's name."""
    start = time.perf_counter()
    target = backup.check_target(target, force)
    evidence_dir = Path(evidence_dir)
    copy_path = backup.temporary(target.parent, f"{target.name}.sqlite")
    tmp = backup.temporary(target.parent, target.name)
    try:
        copy_path.unlink()  # backup() refuses an existing file without force
        copy = backup.backup(database, copy_path)
        files: dict[str, dict] = {}
        with tarfile.open(tmp, _write_mode(target)) as tar:
            files[DATABASE] = _add(tar, copy.path, DATABASE)
            for path in _evidence_files(evidence_dir):
                name = f"{EVIDENCE}/{path.relative_to(evidence_dir).as_posix()}"
                try:
                    files[name] = _add(tar, path, name)
                except FileNotFoundError:
                    continue  # deleted since the listing: the check finds it if a row names it
            manifest = {
                "format": FORMAT,
                "created": datetime.now(UTC).isoformat(timespec="seconds"),
                "counts": copy.counts,
                "files": files,
            }
            _add_bytes(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
        backup.sync(tmp)
        backup.place(tmp, target, force)
    finally:
        backup.remove(tmp)
        backup.remove(copy_path)
    evidence = [meta for name, meta in files.items() if name != DATABASE]
    return Archive(
        target,
        target.stat().st_size,
        copy.counts,
        len(evidence),
        sum(meta["size"] for meta in evidence),
        time.perf_counter() - start,
    )


def read(source: str | Path, into: Path) -> Contents:
    """Extract the archive at source into the empty folder into, and check it against its
    manifest; BackupError says what is wrong (the folder may then hold part of it)."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    found: dict[str, dict] = {}
    manifest_bytes = None
    try:
        with tarfile.open(source, "r:*") as tar:
            for member in tar:
                name = _member_name(member, source)
                if member.isdir():
                    continue
                if name == MANIFEST:
                    manifest_bytes = tar.extractfile(member).read(CHUNK)
                    continue
                found[name] = _extract(tar, member, into / name)
    except (tarfile.TarError, EOFError, OSError) as error:
        raise BackupError(f"{source} is not a readable backup archive: {error}") from error
    if manifest_bytes is None:
        raise BackupError(f"{source} has no {MANIFEST}: it is not a backup archive of assess")
    try:
        manifest = json.loads(manifest_bytes)
        listed = manifest["files"]
        assert isinstance(listed, dict) and manifest["format"] == FORMAT  # nosec B101
    except (ValueError, KeyError, TypeError, AssertionError) as error:
        raise BackupError(f"{source}: its {MANIFEST} cannot be read") from error
    differ = sorted(
        name
        for name in set(listed) | set(found)
        if listed.get(name) != found.get(name)  # missing, extra, other size or digest
    )
    if differ:
        more = f" (and {len(differ) - 5} more)" if len(differ) > 5 else ""
        raise BackupError(
            f"{source} does not match its manifest, it is damaged or was changed: "
            f"{', '.join(differ[:5])}{more}"
        )
    if DATABASE not in found:
        raise BackupError(f"{source} holds no database")
    evidence = into / EVIDENCE
    evidence.mkdir(exist_ok=True)
    return Contents(into / DATABASE, evidence, manifest)


def swap_folder(live: Path, restored: Path, stamp: str) -> Path | None:
    """Put restored in place of live, keeping live as <live>.before-restore-<stamp>; returns the
    kept folder (None when there was none). Both are on the same file system: two renames."""
    kept = live.with_name(f"{live.name}.before-restore-{stamp}")
    if live.exists():
        live.rename(kept)
    try:
        restored.rename(live)
    except OSError:
        if kept.exists():
            kept.rename(live)
        raise
    return kept if kept.exists() else None


def undo_swap(live: Path, kept: Path | None, restored: Path) -> None:
    """Put the folder swap_folder kept back in place (the restored one goes back to restored)."""
    live.rename(restored)
    if kept is not None:
        kept.rename(live)


def _write_mode(target: Path) -> str:
    return "w:gz" if target.name.endswith((".gz", ".tgz")) else "w"


def _evidence_files(folder: Path) -> list[Path]:
    """Every regular file under the evidence folder (links are not followed), in a stable order."""
    if not folder.is_dir():
        return []
    found = []
    for directory, folders, names in os.walk(folder):
        folders.sort()
        for name in sorted(names):
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink() and not name.endswith(".part"):
                found.append(path)
    return found


class _Hashing:
    """A file read through once by tarfile, hashing and counting what it reads."""

    def __init__(self, f):
        self.f, self.digest, self.size = f, hashlib.sha256(), 0

    def read(self, n=-1):
        data = self.f.read(n)
        self.digest.update(data)
        self.size += len(data)
        return data


def _add(tar: tarfile.TarFile, path: Path, name: str) -> dict:
    with path.open("rb") as f:
        info = tar.gettarinfo(fileobj=f, arcname=f"{ROOT}/{name}")
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mode = 0o600
        reader = _Hashing(f)
        tar.addfile(info, reader)
    if reader.size != info.size:  # the file changed while it was read: tar would be wrong
        raise BackupError(f"{path} changed while it was archived; run the backup again")
    return {"size": reader.size, "sha256": reader.digest.hexdigest()}


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    import io

    info = tarfile.TarInfo(f"{ROOT}/{name}")
    info.size, info.mode, info.mtime = len(data), 0o600, int(time.time())
    tar.addfile(info, io.BytesIO(data))


def _member_name(member: tarfile.TarInfo, source: Path) -> str:
    """The member's name below assess-backup/, refusing anything that could land elsewhere."""
    path = PurePosixPath(member.name)
    unsafe = (
        path.is_absolute()
        or ".." in path.parts
        or not path.parts
        or path.parts[0] != ROOT
        or not (member.isfile() or member.isdir())
    )
    if unsafe:
        raise BackupError(f"{source} holds {member.name!r}, which a backup archive never does")
    return "/".join(path.parts[1:])


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo, path: Path) -> dict:
    path.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    source = tar.extractfile(member)
    with open(path, "xb") as out:  # x: a name twice in the archive is refused, not overwritten
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {"size": size, "sha256": digest.hexdigest()}
