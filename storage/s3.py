"""Objects in S3-compatible storage through the minio SDK."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

import urllib3
from minio import Minio
from minio.commonconfig import COMPLIANCE, ENABLED, GOVERNANCE
from minio.error import S3Error
from minio.retention import Retention
from minio.versioningconfig import VersioningConfig

from ingest.errors import SohoaError


class StorageUnavailable(SohoaError):
    code = "storage_unavailable"


class ObjectMissing(SohoaError):
    code = "object_missing"


class RetentionRefused(SohoaError):
    code = "retention_refused"


log = logging.getLogger(__name__)
CONNECTION_ERRORS = (urllib3.exceptions.HTTPError, OSError)
# A body cut short is resumed after these pauses: about 7 s in all before the error reaches
# the caller.
READ_RETRY_DELAYS = (0.5, 1.0, 2.0, 3.5)


@dataclass(frozen=True)
class S3Config:
    endpoint: str  # host:port
    access_key: str
    secret_key: str
    bucket: str
    secure: bool = False
    region: str | None = None


@dataclass(frozen=True)
class StoredObject:
    key: str
    sha256: str
    size: int
    media_type: str


class ObjectStore:
    """One bucket; S3 user metadata must be ASCII, so values are percent-encoded."""

    def __init__(self, config: S3Config, retries: int = 3) -> None:
        self.config = config
        self._read_retry_delays = READ_RETRY_DELAYS if retries else ()
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=5, read=60),
            retries=urllib3.Retry(total=retries, backoff_factor=0.5,
                                  status_forcelist=[500, 502, 503, 504]),
            maxsize=16,
        )
        self._client = Minio(
            config.endpoint, access_key=config.access_key, secret_key=config.secret_key,
            secure=config.secure, region=config.region, http_client=http,
        )

    @property
    def bucket(self) -> str:
        return self.config.bucket

    def ensure_bucket(self) -> None:
        """Create the bucket when missing (versioned, with Object Lock where the store can).

        Raise :class:`StorageUnavailable` if S3 is down.
        """
        try:
            if not self._client.bucket_exists(self.bucket):
                self._create_bucket()
        except (S3Error, *CONNECTION_ERRORS) as exc:
            raise StorageUnavailable(
                f"Không kết nối được kho lưu trữ S3 tại {self.config.endpoint}: {exc}",
                f"Cannot reach S3 storage at {self.config.endpoint}: {exc}",
            ) from exc

    def _create_bucket(self) -> None:
        try:
            self._client.make_bucket(self.bucket, object_lock=True)  # also turns versioning on
        except S3Error as exc:
            log.warning("bucket %s without Object Lock: %s", self.bucket, exc)
            self._client.make_bucket(self.bucket)
        self._client.set_bucket_versioning(self.bucket, VersioningConfig(ENABLED))

    def capabilities(self) -> tuple[bool, bool]:
        """(versioning on, Object Lock available) for this bucket."""
        versioned = self._client.get_bucket_versioning(self.bucket).status == ENABLED
        try:
            self._client.get_object_lock_config(self.bucket)
            locked = True
        except S3Error:
            locked = False
        return versioned, locked

    def retain(self, key: str, mode: str, until: dt.datetime) -> None:
        """Put the latest version of ``key`` under Object Lock until ``until``."""
        retention = Retention(COMPLIANCE if mode == "COMPLIANCE" else GOVERNANCE, until)
        try:
            self._client.set_object_retention(self.bucket, key, retention)
        except S3Error as exc:
            raise RetentionRefused(f"Kho lưu trữ từ chối khóa đối tượng {key}: {exc.code}.",
                                   f"The store refused to lock {key}: {exc.code}.") from exc

    def sha256_of(self, key: str) -> str:
        """Re-read ``key`` and hash what is stored now (for fixity checks)."""
        digest = hashlib.sha256()
        for chunk in self.stream(key, chunk_size=1024 * 1024):
            digest.update(chunk)
        return digest.hexdigest()

    def put(self, key: str, data: bytes, media_type: str,
            metadata: Mapping[str, str] | None = None) -> StoredObject:
        digest = hashlib.sha256(data).hexdigest()
        meta = {k: quote(v, safe="") for k, v in (metadata or {}).items()}
        meta["sha256"] = digest
        self._client.put_object(self.bucket, key, io.BytesIO(data), len(data),
                                content_type=media_type, metadata=meta)  # type: ignore[arg-type]
        return StoredObject(key=key, sha256=digest, size=len(data), media_type=media_type)

    def get(self, key: str) -> bytes:
        return b"".join(self.stream(key, chunk_size=1024 * 1024))

    def stream(self, key: str, chunk_size: int = 256 * 1024) -> Iterator[bytes]:
        """Chunks of ``key``. A read cut short is resumed where it stopped (a Range request
        for the same version), so nothing already yielded is repeated or mixed with another
        version.

        SeaweedFS's S3 gateway sends a GET's headers, then streams from the volume servers; a
        volume it cannot reach mid-way (just after a restart) ends a 200 body early, which
        urllib3's retries (refused connections, 5xx answers) do not cover.
        """
        response = self._open(key)
        position, pinned = 0, _same_object(response)
        pauses = iter(self._read_retry_delays)
        try:
            while True:
                try:
                    for chunk in response.stream(chunk_size):
                        position += len(chunk)
                        yield chunk
                    return
                except urllib3.exceptions.ProtocolError as exc:
                    delay = next(pauses, None)
                    if delay is None:
                        raise
                    log.warning("read of %s cut at byte %d (%s); resuming in %.1f s",
                                key, position, exc, delay)
                    response.close()
                    response.release_conn()
                    time.sleep(delay)
                    response = self._open(key, offset=position, **pinned)
        finally:
            response.close()
            response.release_conn()

    def metadata(self, key: str) -> dict[str, str]:
        stat = self._client.stat_object(self.bucket, key)
        prefix = "x-amz-meta-"
        return {k[len(prefix):].lower(): unquote(v) for k, v in (stat.metadata or {}).items()
                if k.lower().startswith(prefix)}

    def exists(self, key: str) -> bool:
        try:
            self._client.stat_object(self.bucket, key)
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchObject", "NotFound"):
                return False
            raise
        return True

    def delete(self, key: str) -> None:
        """Delete ``key`` (a delete marker in a versioned bucket); locked versions stay."""
        try:
            self._client.remove_object(self.bucket, key)
        except S3Error as exc:
            if exc.code == "AccessDenied":
                raise RetentionRefused(f"Đối tượng {key} đang được khóa lưu trữ, không xóa được.",
                                       f"Object {key} is under retention and cannot be deleted."
                                       ) from exc
            raise

    def versions(self, key: str) -> list[str]:
        return [o.version_id for o in self._client.list_objects(
            self.bucket, prefix=key, include_version=True)
            if o.object_name == key and o.version_id is not None]

    def delete_version(self, key: str, version_id: str) -> None:
        """Remove one version for good; refused while it is under retention."""
        try:
            self._client.remove_object(self.bucket, key, version_id=version_id)
        except S3Error as exc:
            if exc.code == "AccessDenied":
                raise RetentionRefused(f"Phiên bản {version_id} của {key} đang được khóa.",
                                       f"Version {version_id} of {key} is locked.") from exc
            raise

    def list_with_dates(self, prefix: str = "") -> list[tuple[str, dt.datetime | None]]:
        return [(o.object_name, o.last_modified)
                for o in self._client.list_objects(self.bucket, prefix=prefix, recursive=True)
                if o.object_name is not None]

    def list_keys(self, prefix: str = "") -> list[str]:
        return [o.object_name for o in self._client.list_objects(self.bucket, prefix=prefix,
                                                                 recursive=True)
                if o.object_name is not None]

    def _open(self, key: str, **options: Any) -> urllib3.BaseHTTPResponse:
        try:
            return self._client.get_object(self.bucket, key, **options)
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchObject"):
                raise ObjectMissing(f"Không tìm thấy đối tượng {key} trong kho lưu trữ.",
                                    f"Object {key} is missing from storage.") from exc
            raise


def _same_object(response: urllib3.BaseHTTPResponse) -> dict[str, Any]:
    """get_object options that read the very version ``response`` came from."""
    version = response.headers.get("x-amz-version-id")
    if version and version != "null":
        return {"version_id": version}
    etag = response.headers.get("ETag")
    return {"request_headers": {"If-Match": etag}} if etag else {}
