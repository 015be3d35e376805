"""``sohoa model status`` and ``sohoa model retrain``: the document-type model's versions.

Retraining learns from reviewers' corrections (the database) plus the generated corpus
(models/corpus) and promotes the new version only if its macro-F1 on the fixed held-out set
does not drop. Running services keep the model they started with until they are restarted.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from api.review import labelled_examples
from api.settings import Settings
from storage.db import make_engine, make_session_factory, migrate


def add_model_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``model status`` and ``model retrain`` to the ``sohoa`` parser."""
    model = commands.add_parser("model",
                                help="mô hình phân loại giấy tờ: phiên bản, huấn luyện lại")
    actions = model.add_subparsers(required=True, metavar="ACTION")
    status = actions.add_parser("status", help="phiên bản hiện hành và lịch sử")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=model_status)
    again = actions.add_parser(
        "retrain", help="huấn luyện lại từ các sửa của cán bộ; chỉ dùng nếu không kém hơn")
    again.add_argument("--json", action="store_true")
    again.set_defaults(handler=model_retrain)


def _root(settings: Settings) -> Path:
    from classify.model.artefact import DEFAULT_MODEL_DIR

    return Path(settings.doctype_model_dir or DEFAULT_MODEL_DIR)


def model_status(args: argparse.Namespace) -> int:
    from classify.model.artefact import load_model
    from classify.model.retrain import history

    root = _root(Settings())
    model = load_model(root)
    held = model.manifest["metrics"]["heldout"]
    payload = {"current": model.version, "path": str(model.path),
               "heldout_macro_f1": held["combined"]["macro_f1"],
               "abstain_rate": held["abstain_rate"], "versions": history(root)}
    if args.json:
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    print(f"Phiên bản hiện hành / current: {model.version} (macro-F1 "
          f"{payload['heldout_macro_f1']}, tỉ lệ cần rà soát {payload['abstain_rate']:.1%})")
    for entry in payload["versions"]:
        mark = "*" if entry["version"] == model.version else " "
        print(f" {mark} {entry['version']}  macro-F1 {entry.get('heldout_macro_f1')}  "
              f"sửa/corrections {entry.get('corrections', 0)}  "
              f"{'đã dùng' if entry.get('promoted') else 'không dùng'}")
    return 0


def model_retrain(args: argparse.Namespace) -> int:
    from classify.model.modelcard import write_model_card
    from classify.model.retrain import retrain

    settings = Settings()
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    with make_session_factory(engine)() as session:
        examples = labelled_examples(session)
    root = _root(settings)
    print(f"Huấn luyện lại với {len(examples)} giấy tờ đã sửa / retraining with "
          f"{len(examples)} corrected documents…", file=sys.stderr)
    result = retrain(examples, root=root)
    if result.promoted:
        write_model_card(root, root / result.version)
    payload = {"version": result.version, "promoted": result.promoted,
               "heldout_macro_f1": result.macro_f1, "baseline_version": result.baseline_version,
               "baseline_heldout_macro_f1": result.baseline_macro_f1,
               "heldout_pages": result.heldout_pages, "corrections": len(examples)}
    if args.json:
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif result.promoted:
        print(f"Đã dùng phiên bản mới {result.version}: macro-F1 {result.macro_f1} ≥ "
              f"{result.baseline_macro_f1} ({result.baseline_version}). Khởi động lại dịch vụ "
              f"để áp dụng / promoted; restart the service to use it.")
    else:
        print(f"Không dùng {result.version}: macro-F1 {result.macro_f1} < "
              f"{result.baseline_macro_f1} của {result.baseline_version} / not promoted "
              f"(worse on the held-out set); {result.baseline_version} stays current.")
    return 0
