"""Reads across a restart or a short outage of the real embedded SeaweedFS.

CI once saw ``sohoa serve``'s second start answer a download with an error: the S3 port and the
bucket answer before the volume server has reported its volumes to the master.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from pathlib import Path

import pytest

from api.app import create_app
from api.orchestrator import run_job
from api.seaweed import EmbeddedS3, volumes_on_disk
from api.services import Services, build_services
from api.usecases import accept_upload, create_dossier
from api.worker import make_queue
from storage import repository as repo
from storage.s3 import ObjectStore, S3Config
from tests.conftest import authorize, make_settings
from tests.synthetic import BIRTH_CERTIFICATE, render_page, to_png

UNIT = "000.00.15.H05"


def test_volume_files_are_named_by_collection_and_id(tmp_path: Path) -> None:
    for name in ("restart_1.dat", "restart_1.idx", "7.dat", "restart_12.dat", "notes.dat"):
        (tmp_path / name).touch()
    assert volumes_on_disk(tmp_path) == [1, 7, 12]
    assert volumes_on_disk(tmp_path / "missing") == []


def test_a_restarted_store_is_ready_only_once_its_volumes_are_located(
        own_s3: EmbeddedS3) -> None:
    data = os.urandom(120_000)
    ObjectStore(own_s3.config).put("dossier/a.pdf", data, "application/pdf")
    own_s3.stop()
    own_s3.start()
    assert volumes_on_disk(own_s3.directory / "data")
    assert own_s3._volumes_registered()
    assert ObjectStore(own_s3.config, retries=0).get("dossier/a.pdf") == data


def test_a_read_waits_out_a_short_outage(own_s3: EmbeddedS3) -> None:
    store = ObjectStore(own_s3.config)
    data = os.urandom(50_000)
    store.put("dossier/b.pdf", data, "application/pdf")
    own_s3.stop()
    back = threading.Timer(1.5, own_s3.start)
    back.start()
    try:
        assert store.get("dossier/b.pdf") == data
        assert b"".join(store.stream("dossier/b.pdf", chunk_size=4096)) == data
    finally:
        back.join()


class CuttingProxy:
    """A TCP proxy to the real S3 that ends its first connection after ``cut_after`` bytes of
    answer, as SeaweedFS does when it has sent 200 but cannot find the volume."""

    def __init__(self, upstream: S3Config, cut_after: int) -> None:
        host, port = upstream.endpoint.split(":")
        self.upstream = (host, int(port))
        self.cut_after = cut_after
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.config = S3Config(f"127.0.0.1:{self.listener.getsockname()[1]}",
                               upstream.access_key, upstream.secret_key, upstream.bucket)
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            client, _ = self.listener.accept()
            self.connections += 1
            limit = self.cut_after if self.connections == 1 else None
            server = socket.create_connection(self.upstream)
            threading.Thread(target=self._pipe, args=(client, server, None), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, limit), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, target: socket.socket, limit: int | None) -> None:
        sent = 0
        try:
            while (data := source.recv(65536)) and (limit is None or sent < limit):
                data = data if limit is None else data[:limit - sent]
                target.sendall(data)
                sent += len(data)
        except OSError:
            pass
        for end in (source, target):  # shutdown, not close: the other pipe is blocked in recv
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)


@pytest.mark.parametrize("how", ["get", "stream"])
def test_a_body_cut_short_is_read_again(own_s3: EmbeddedS3, how: str) -> None:
    data = os.urandom(300_000)
    ObjectStore(own_s3.config).put("dossier/c.pdf", data, "application/pdf")
    proxy = CuttingProxy(own_s3.config, cut_after=40_000)
    store = ObjectStore(proxy.config)
    read = store.get("dossier/c.pdf") if how == "get" else b"".join(
        store.stream("dossier/c.pdf", chunk_size=512 * 1024))
    assert read == data
    assert proxy.connections == 2  # the cut connection, then the retry


def test_a_stream_cut_mid_way_resumes_from_where_it_stopped(own_s3: EmbeddedS3) -> None:
    data = os.urandom(300_000)
    ObjectStore(own_s3.config).put("dossier/d.pdf", data, "application/pdf")
    ObjectStore(own_s3.config).put("dossier/d.pdf", data[::-1], "application/pdf")
    proxy = CuttingProxy(own_s3.config, cut_after=40_000)
    chunks = list(ObjectStore(proxy.config).stream("dossier/d.pdf", chunk_size=4096))
    assert b"".join(chunks) == data[::-1]  # the latest version, each byte once
    assert len(chunks[0]) == 4096 and proxy.connections == 2


def test_download_while_storage_is_down_is_503_in_vietnamese(
        tmp_path: Path, own_s3: EmbeddedS3) -> None:
    services: Services = build_services(make_settings(tmp_path, own_s3.config, ocr_dpi=150))
    dossier = create_dossier(services, "1.001193", UNIT)
    scan = to_png(render_page(BIRTH_CERTIFICATE, dpi=150), dpi=150)
    [job] = accept_upload(services, dossier.id, [("chung-sinh.png", scan)])
    run_job(job.id, services)
    with services.session() as session:
        [document] = repo.get_dossier(session, dossier.id).documents
        document_id = document.id
    client = authorize(create_app(services, make_queue(services.settings, lambda: services))
                       .test_client(), services)
    assert client.get(f"/api/documents/{document_id}/file").status_code == 200
    own_s3.stop()
    response = client.get(f"/api/documents/{document_id}/file")
    assert response.status_code == 503
    problem = response.get_json()
    assert problem["code"] == "storage_unavailable"
    assert problem["message_vi"].startswith("Kho lưu trữ tạm thời không đọc được")
    services.db.dispose()
