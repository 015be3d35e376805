"""Objects in S3-compatible storage through the minio SDK."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import quote, unquote

import urllib3
from minio import Minio
from minio.error import S3Error

from ingest.errors import SohoaError


class StorageUnavailable(SohoaError):
    code = "storage_unavailable"


class ObjectMissing(SohoaError):
    code = "object_missing"


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
        """Create the bucket when missing; raise :class:`StorageUnavailable` if S3 is down."""
        try:
            if not self._client.bucket_exists(self.bucket):
                self._client.make_bucket(self.bucket)
        except (S3Error, urllib3.exceptions.HTTPError, OSError) as exc:
            raise StorageUnavailable(
                f"Không kết nối được kho lưu trữ S3 tại {self.config.endpoint}: {exc}",
                f"Cannot reach S3 storage at {self.config.endpoint}: {exc}",
            ) from exc

    def put(self, key: str, data: bytes, media_type: str,
            metadata: Mapping[str, str] | None = None) -> StoredObject:
        digest = hashlib.sha256(data).hexdigest()
        meta = {k: quote(v, safe="") for k, v in (metadata or {}).items()}
        meta["sha256"] = digest
        self._client.put_object(self.bucket, key, io.BytesIO(data), len(data),
                                content_type=media_type, metadata=meta)  # type: ignore[arg-type]
        return StoredObject(key=key, sha256=digest, size=len(data), media_type=media_type)

    def get(self, key: str) -> bytes:
        response = self._open(key)
        try:
            return response.read()
        finally:
            response.close()
            response.release_conn()

    def stream(self, key: str, chunk_size: int = 256 * 1024) -> Iterator[bytes]:
        response = self._open(key)
        try:
            yield from response.stream(chunk_size)
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
        self._client.remove_object(self.bucket, key)

    def list_keys(self, prefix: str = "") -> list[str]:
        return [o.object_name for o in self._client.list_objects(self.bucket, prefix=prefix,
                                                                 recursive=True)
                if o.object_name is not None]

    def _open(self, key: str) -> urllib3.BaseHTTPResponse:
        try:
            return self._client.get_object(self.bucket, key)
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchObject"):
                raise ObjectMissing(f"Không tìm thấy đối tượng {key} trong kho lưu trữ.",
                                    f"Object {key} is missing from storage.") from exc
            raise
