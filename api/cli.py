"""The ``sohoa`` command."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from ingest.errors import SohoaError

EXIT_USER_ERROR = 2
EXIT_DEPENDENCY = 3


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("alembic", "pikepdf", "huey"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        result: int = args.handler(args)
        return result
    except SohoaError as error:
        print(f"sohoa: lỗi [{error.code}]: {error.message_vi}\n"
              f"sohoa: error [{error.code}]: {error.message_en}", file=sys.stderr)
        dependency = error.code.endswith("_unavailable") or error.code in (
            "catalogue_invalid", "embedded_s3_failed", "configuration_error", "model_invalid")
        return EXIT_DEPENDENCY if dependency else EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sohoa", description="Số hóa hồ sơ thủ tục hành chính")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="chạy dịch vụ web, worker và S3 nhúng")
    serve.set_defaults(handler=_serve)
    worker = commands.add_parser("worker", help="chạy Huey worker")
    worker.set_defaults(handler=_worker)

    ingest = commands.add_parser("ingest", help="tạo hồ sơ từ tệp quét và in kết quả")
    ingest.add_argument("files", nargs="+", type=Path)
    ingest.add_argument("--procedure", required=True, help="mã thủ tục, ví dụ 1.001193")
    ingest.add_argument("--unit", help="mã định danh đơn vị, ví dụ 000.00.15.H05")
    ingest.add_argument("--json", action="store_true", help="in JSON")
    ingest.set_defaults(handler=_ingest)

    check = commands.add_parser("check", help="kiểm tra thành phần hồ sơ theo loại giấy tờ")
    check.add_argument("--procedure", required=True, help="mã thủ tục")
    check.add_argument("--types", default="", help="loại giấy tờ, cách nhau bởi dấu phẩy")
    check.add_argument("--answer", action="append", default=[], metavar="KEY=yes|no")
    check.add_argument("--channel", default="truc_tiep",
                       help="truc_tiep | truc_tuyen | buu_chinh")
    check.add_argument("--date", type=_date, help="ngày tiếp nhận YYYY-MM-DD (mặc định hôm nay)")
    check.add_argument("--json", action="store_true", help="in JSON")
    check.set_defaults(handler=_check)

    catalogue = commands.add_parser("catalogue", help="danh mục thủ tục")
    catalogue_commands = catalogue.add_subparsers(required=True, metavar="ACTION")
    portal = catalogue_commands.add_parser(
        "import-portal", help="đọc bản ghi Cổng DVC quốc gia thành bản nháp cần rà soát")
    portal.add_argument("source", type=Path, help="thư mục bản ghi JSON của Cổng")
    portal.add_argument("--out", required=True, type=Path, help="thư mục ghi bản nháp YAML")
    portal.add_argument("--report", required=True, type=Path, help="tệp báo cáo JSON")
    portal.set_defaults(handler=_import_portal)

    export = commands.add_parser("export", help="xuất gói lưu trữ AIP hoặc bản đọc DIP")
    export.add_argument("code", help="mã hồ sơ")
    target = export.add_mutually_exclusive_group(required=True)
    target.add_argument("--aip", type=Path, metavar="OUT.zip", help="gói AIP (E-ARK, TT 05/2025)")
    target.add_argument("--dip", type=Path, metavar="OUT.pdf", help="bản đọc có dấu chìm")
    export.set_defaults(handler=_export)
    restore = commands.add_parser("import-aip", help="khôi phục hồ sơ từ gói AIP")
    restore.add_argument("file", type=Path)
    restore.set_defaults(handler=_import_aip)

    watch = commands.add_parser("watch", help="theo dõi thư mục quét (hot folder)")
    watch.add_argument("directory", type=Path)
    watch.add_argument("--procedure", help="thủ tục cho tệp không có tờ bìa hồ sơ")
    watch.add_argument("--unit", help="mã định danh đơn vị")
    watch.add_argument("--settle", type=float, default=2.0,
                       help="giây tệp phải đứng yên trước khi xử lý")
    watch.add_argument("--once", action="store_true", help="xử lý các tệp hiện có rồi thoát")
    watch.set_defaults(handler=_watch)

    fixity = commands.add_parser("fixity", help="kiểm tra toàn vẹn (SHA-256) các đối tượng lưu trữ")
    scope = fixity.add_mutually_exclusive_group()
    scope.add_argument("--all", action="store_true", help="mọi đối tượng (mặc định)")
    scope.add_argument("--sample", type=int, metavar="N", help="N đối tượng chọn ngẫu nhiên")
    fixity.add_argument("--json", action="store_true")
    fixity.set_defaults(handler=_fixity)

    cleanup = commands.add_parser("cleanup", help="xóa đối tượng S3 mồ côi (không có bản ghi)")
    cleanup.add_argument("--grace-hours", type=float, default=24.0)
    cleanup.add_argument("--dry-run", action="store_true")
    cleanup.set_defaults(handler=_cleanup)

    classify = commands.add_parser("classify", help="tách và phân loại giấy tờ, đọc trường")
    classify.add_argument("files", nargs="+", type=Path)
    classify.add_argument("--json", action="store_true")
    classify.set_defaults(handler=_classify)

    ocr = commands.add_parser("ocr", help="nhận dạng chữ một tệp")
    ocr.add_argument("file", type=Path)
    ocr.add_argument("--json", action="store_true", help="in JSON có từ, hộp và độ tin cậy")
    ocr.set_defaults(handler=_ocr)

    from api.modelcli import add_model_commands  # sohoa model status|retrain
    from api.usercli import add_user_commands  # sohoa user …, sohoa audit verify

    add_user_commands(commands)
    add_model_commands(commands)
    return parser


def _serve(_args: argparse.Namespace) -> int:
    from api.serve import serve
    from api.settings import Settings

    serve(Settings())
    return 0


def _worker(_args: argparse.Namespace) -> int:
    from api.serve import run_worker
    from api.settings import Settings

    run_worker(Settings())
    return 0


def _ingest(args: argparse.Namespace) -> int:
    from api.commands import ingest_files
    from api.settings import Settings

    payload = ingest_files(Settings(), args.files, args.procedure, args.unit)
    _print(payload, args.json)
    return 0


def _import_portal(args: argparse.Namespace) -> int:
    from classify.portal_import import import_portal

    report = import_portal(args.source, args.out, args.report)
    print(f"Bản ghi: {report.records}; đọc được: {report.parsed}; có thành phần: "
          f"{report.with_components} ({report.components} dòng); nghi vấn: "
          f"{len(report.suspect)}; lỗi: {len(report.failed)}. Báo cáo: {args.report}")
    return 1 if report.failed else 0


def _watch(args: argparse.Namespace) -> int:
    from api.commands import with_services
    from api.hotfolder import HotFolder, HotFolderConfig

    if not args.directory.is_dir():
        raise SohoaError(f"Không có thư mục {args.directory}.",
                         f"No such directory: {args.directory}.", code="invalid_request")
    config = HotFolderConfig(args.directory, args.procedure, args.unit, args.settle)
    with with_services() as services:
        if args.procedure:
            services.catalogue.get(args.procedure)  # fail now, not on the first file
        print(f"Đang theo dõi {args.directory} (Ctrl-C để dừng)", flush=True)
        HotFolder(config, services).run(once=args.once)
    return 0


def _export(args: argparse.Namespace) -> int:
    from api.commands import with_services
    from api.packages import export_aip, export_dip

    with with_services() as services:
        data = export_aip(services, args.code) if args.aip else export_dip(services, args.code)
    out: Path = args.aip or args.dip
    out.write_bytes(data)
    print(f"Đã ghi {out} ({len(data)} byte)")
    return 0


def _import_aip(args: argparse.Namespace) -> int:
    from api.commands import read_input, with_services
    from api.packages import import_aip

    data = read_input(args.file)
    with with_services() as services:
        dossier_id = import_aip(services, data, actor="cli")
    print(f"Đã khôi phục hồ sơ {dossier_id}")
    return 0


def _fixity(args: argparse.Namespace) -> int:
    from api.archiving import check_integrity
    from api.commands import with_services

    with with_services() as services:
        results = check_integrity(services, sample=args.sample)
    problems = [r for r in results if r.status != "ok"]
    payload = {"checked": len(results), "ok": len(results) - len(problems),
               "problems": [{"key": r.key, "status": r.status, "expected": r.expected,
                             "actual": r.actual} for r in problems]}
    if args.json:
        _print(payload, True)
    else:
        print(f"Đã kiểm tra {len(results)} đối tượng, {len(results) - len(problems)} nguyên vẹn.")
        for problem in problems:
            print(f"  [{problem.status}] {problem.key}")
    return 1 if problems else 0


def _cleanup(args: argparse.Namespace) -> int:
    from api.archiving import cleanup
    from api.commands import with_services

    with with_services() as services:
        report = cleanup(services, dt.timedelta(hours=args.grace_hours), dry_run=args.dry_run)
    print(f"Mồ côi: {len(report.orphans)}; đã xóa: {len(report.deleted)}; "
          f"đang khóa lưu trữ: {len(report.refused)}")
    for key in report.orphans:
        print(f"  {key}")
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ / invalid date: {text!r}") from None


def _check(args: argparse.Namespace) -> int:
    from api.commands import check_types
    from api.settings import Settings

    types = [t.strip() for t in args.types.split(",") if t.strip()]
    report = check_types(Settings(), args.procedure, types, args.answer, args.channel, args.date)
    if args.json:
        _print(report, True)
    else:
        print(f"Kết luận: {report['verdict']} (phiên bản {report['decision']})")
        for line in report["components"]:
            print(f"  [{line['state']:>14}] {line['name']}: {line['explanation']}")
    return 0 if report["verdict"] == "complete" else 1


def _classify(args: argparse.Namespace) -> int:
    from api.commands import classify_files
    from api.settings import Settings

    payload = classify_files(Settings(), args.files)
    if args.json:
        _print(payload, True)
    else:
        for doc in payload["documents"]:
            review = " (cần rà soát)" if doc["needs_review"] else ""
            print(f"{doc['file']} trang {doc['pages']}: {doc['doc_type_name']} "
                  f"[{doc['confidence']:.0%}]{review} — {doc['reason']}")
    return 0


def _ocr(args: argparse.Namespace) -> int:
    from api.commands import ocr_file
    from api.settings import Settings

    payload = ocr_file(Settings(), args.file)
    if args.json:
        _print(payload, True)
    else:
        for page in payload["pages"]:
            print(f"--- trang {page['index'] + 1} (độ tin cậy {page['mean_confidence']}) ---")
            print(page["text"])
    return 0


def _print(payload: object, as_json: bool) -> None:
    if as_json:
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(json.dumps(payload, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    sys.exit(main())
