"""Remove objects that no database row points at (left by a crash between S3 and the commit)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.s3 import ObjectStore, RetentionRefused
from storage.tables import ArchiveObject, UploadedFile


@dataclass(frozen=True)
class CleanupReport:
    orphans: tuple[str, ...]
    deleted: tuple[str, ...]
    refused: tuple[str, ...]  # under retention: reported, left in place


def find_orphans(session: Session, store: ObjectStore, grace: dt.timedelta,
                 now: dt.datetime) -> list[str]:
    """Keys in the bucket with no row, older than ``grace`` (a job may still be writing)."""
    known = set(session.scalars(select(ArchiveObject.key)))
    known |= set(session.scalars(select(UploadedFile.s3_key)))
    return [key for key, modified in store.list_with_dates()
            if key not in known and modified is not None and now - modified > grace]


def remove_orphans(session: Session, store: ObjectStore, grace: dt.timedelta,
                   now: dt.datetime, dry_run: bool = False) -> CleanupReport:
    orphans = find_orphans(session, store, grace, now)
    deleted, refused = [], []
    for key in [] if dry_run else orphans:
        try:
            store.delete(key)
            deleted.append(key)
        except RetentionRefused:
            refused.append(key)
    return CleanupReport(tuple(orphans), tuple(deleted), tuple(refused))
