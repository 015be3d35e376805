"""Writing reproducible zips, and reading untrusted ones without being hurt by them.

Writing: fixed timestamps, permissions and member order, so one dossier exported twice gives
byte-identical packages (their SHA-256 can be compared, and an S3 re-upload is a no-op).

Reading: the zip comes from outside (another system, an old backup), so every member name is
checked for path traversal ("zip slip"), absolute paths, backslashes, drive letters, links and
encryption, and the declared uncompressed sizes are capped before anything is inflated.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import stat
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from storage.eark.errors import PackageInvalid
from storage.eark.model import VIETNAM_TIME

_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip header can hold
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class ReadLimits:
    """Caps on what :func:`read_members` accepts; all members are held in memory."""

    max_members: int = 10_000
    max_total_bytes: int = 1024**3


def write_zip(root: str, files: Sequence[tuple[str, bytes]], when: dt.datetime) -> bytes:
    """A zip of ``files`` (path, bytes) under the folder ``root``, every entry stamped ``when``.

    The stamp is the local Vietnam time of ``when`` (zip headers have no time zone).
    """
    local = when.astimezone(VIETNAM_TIME)
    stamp = max(_ZIP_EPOCH, (local.year, local.month, local.day, local.hour, local.minute,
                             local.second))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, data in files:
            info = zipfile.ZipInfo(f"{root}/{path}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the host, so headers do not vary
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, data, compresslevel=6)
    return buffer.getvalue()


def read_members(data: bytes, limits: ReadLimits) -> tuple[str, dict[str, bytes]]:
    """The root folder name and {path under the root: bytes} of a zip with one root folder."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as error:
        raise PackageInvalid([f"not a zip archive ({error})"]) from error
    with archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        root = _check_infos(archive.infolist(), infos, limits)
        return root, _read_all(archive, infos, root)


def _check_infos(every: Sequence[zipfile.ZipInfo], files: Sequence[zipfile.ZipInfo],
                 limits: ReadLimits) -> str:
    problems = [problem for info in every if (problem := unsafe_member(info)) is not None]
    if len(every) > limits.max_members:
        problems.append(f"{len(every)} members, more than the {limits.max_members} allowed")
    total = sum(info.file_size for info in files)
    if total > limits.max_total_bytes:
        problems.append(f"{total} bytes uncompressed, more than the {limits.max_total_bytes} "
                        "allowed")
    names = [info.filename for info in files]
    problems += [f"{name}: appears twice" for name in sorted({n for n in names
                                                               if names.count(n) > 1})]
    if problems:
        raise PackageInvalid(problems)
    roots = {name.split("/", 1)[0] for name in names}
    if len(roots) != 1 or any("/" not in name for name in names):
        found = ", ".join(sorted(roots)) or "nothing"
        raise PackageInvalid([f"the package must hold exactly one root folder, found: {found}"])
    return roots.pop()


def unsafe_member(info: zipfile.ZipInfo) -> str | None:
    """Why a member must not be extracted or trusted, or None if its name and kind are safe."""
    name = info.filename
    parts = name.rstrip("/").split("/")
    if (not name or name.startswith("/") or "\\" in name or "\x00" in name
            or _DRIVE.match(name) or any(part in ("", ".", "..") for part in parts)):
        shown = "".join(c if c.isprintable() else "?" for c in name)
        return f"{shown}: unsafe path (absolute, traversal or not a plain relative path)"
    if stat.S_ISLNK(info.external_attr >> 16):
        return f"{name}: symbolic links are not allowed"
    if info.flag_bits & 0x1:
        return f"{name}: encrypted members are not allowed"
    return None


def _read_all(archive: zipfile.ZipFile, infos: Sequence[zipfile.ZipInfo],
              root: str) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    problems: list[str] = []
    for info in infos:
        relative = info.filename[len(root) + 1:]
        try:
            # ZipExtFile never yields more than the declared file_size, already capped.
            files[relative] = archive.read(info)
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError,
                EOFError) as error:
            problems.append(f"{relative}: cannot be read from the zip ({error})")
    if problems:
        raise PackageInvalid(problems)
    return files
