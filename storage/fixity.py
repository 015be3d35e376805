"""Fixity audit: re-read archived objects, compare with the recorded SHA-256, record the result."""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.s3 import CONNECTION_ERRORS, ObjectMissing, ObjectStore
from storage.tables import ArchiveObject, FixityCheck, utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FixityResult:
    key: str
    dossier_id: str
    status: str  # ok | missing | altered | error
    expected: str
    actual: str | None


def check_object(store: ObjectStore, obj: ArchiveObject) -> FixityResult:
    try:
        actual: str | None = store.sha256_of(obj.key)
    except ObjectMissing:
        return FixityResult(obj.key, obj.dossier_id, "missing", obj.sha256, None)
    except CONNECTION_ERRORS as exc:
        log.warning("fixity of %s not checked: %s", obj.key, exc)
        return FixityResult(obj.key, obj.dossier_id, "error", obj.sha256, None)
    status = "ok" if actual == obj.sha256 else "altered"
    return FixityResult(obj.key, obj.dossier_id, status, obj.sha256, actual)


def select_objects(session: Session, *, sample: int | None = None,
                   dossier_id: str | None = None) -> list[ArchiveObject]:
    query = select(ArchiveObject)
    if dossier_id is not None:
        query = query.where(ArchiveObject.dossier_id == dossier_id)
    objects = list(session.scalars(query.order_by(ArchiveObject.key)))
    if sample is not None and sample < len(objects):
        objects = random.sample(objects, sample)
    return objects


def run_fixity(session: Session, store: ObjectStore, objects: Sequence[ArchiveObject]
               ) -> list[FixityResult]:
    """Check each object and record the outcome on it and in the fixity log."""
    results = []
    for obj in objects:
        result = check_object(store, obj)
        obj.fixity_status, obj.fixity_checked_at = result.status, utcnow()
        session.add(FixityCheck(key=obj.key, dossier_id=obj.dossier_id, status=result.status,
                                expected_sha256=obj.sha256, actual_sha256=result.actual))
        results.append(result)
    return results
