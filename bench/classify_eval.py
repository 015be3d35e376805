"""Document-type classification: held-out generated pages and the three real scans.

    .venv/bin/python -m bench.classify_eval [--write-doc docs/benchmarks.md]

Held-out set: ``models/corpus/heldout.jsonl.gz`` (never used for training, model selection or
calibration): accuracy, macro-F1, top confusions, abstain rate and calibration of the combined
classifier (rules + model) against rules alone and the model alone, per font too.
Real scans: ``shared/data/external/scanned_official`` OCR'd by the real pipeline (page analysis
+ Tesseract ``vie``); type and số ký hiệu against ``labels.tsv``. Nothing is tuned on them.
"""

from __future__ import annotations

import argparse
import csv
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from classify.doctypes import DocumentTypes, load_document_types
from classify.fields import extract_fields
from classify.model import classify_text, load_model
from classify.model.artefact import DocTypeModel
from classify.model.corpus import DEFAULT_CORPUS_DIR, corpus_path, read_corpus
from classify.model.textcat import TrainConfig
from classify.model.training import Example, Fitted, RuleCache, evaluate, examples_of
from ingest.text import nfc
from tests.shared_data import shared_data

EXTERNAL = shared_data("external")
SECTION = "## Classification"


@dataclass(frozen=True)
class ScanResult:
    file: str
    expected_type: str
    got_type: str
    confidence: float
    needs_review: bool
    expected_number: str
    got_number: str
    expected_date: str  # ISO, or "" where labels.tsv gives no plain date
    got_date: str
    seconds: float

    @property
    def type_ok(self) -> bool:
        return self.expected_type == self.got_type

    @property
    def number_ok(self) -> bool:
        return _norm_number(self.expected_number) == _norm_number(self.got_number)

    @property
    def date_ok(self) -> bool | None:
        return self.expected_date == self.got_date if self.expected_date else None


def _norm_number(value: str) -> str:
    return nfc(value).split(" ")[0].strip().upper()


def heldout_metrics(model: DocTypeModel, types: DocumentTypes) -> dict[str, Any]:
    texts = read_corpus(corpus_path("heldout", DEFAULT_CORPUS_DIR))
    if not texts:
        raise SystemExit("models/corpus/heldout.jsonl.gz is missing: run make train")
    fitted = Fitted(model.nlp, TrainConfig(**model.manifest["train_config"]), model.temperature,
                    model.isotonic, model.review_threshold)
    rules = RuleCache(types)
    result: dict[str, Any] = {"all": evaluate(fitted, examples_of(texts), rules)}
    for font in sorted({t.font for t in texts}):
        subset = [Example(t.text, t.label) for t in texts if t.font == font]
        result[font] = evaluate(fitted, subset, rules)
    started = time.perf_counter()
    sample = texts[:200]
    for text in sample:
        classify_text(text.text, types, model)
    result["ms_per_page"] = round(1000 * (time.perf_counter() - started) / len(sample), 1)
    return result


def _expected_type(label: str, types: DocumentTypes) -> str:
    """labels.tsv names the type in Vietnamese ("Công văn", "Thông tư (văn bản hợp nhất)")."""
    names = sorted(((t.name, code) for code, t in types.types.items()),
                   key=lambda item: -len(item[0]))
    return next((code for name, code in names if nfc(label).startswith(name)), label)


def real_scans(model: DocTypeModel, types: DocumentTypes) -> list[ScanResult]:
    """Every real file of labels.tsv through the service's own page stage (analysis, Tesseract,
    tone-mark correction; the text layer for born-digital PDFs), first page only."""
    from api.page_pipeline import process_page
    from ingest.rasterize import rasterize
    from ingest.sniff import MediaType
    from ocr.tesseract import TesseractConfig, TesseractEngine

    engine = TesseractEngine(TesseractConfig())
    with (EXTERNAL / "labels.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    results = []
    for row in rows:
        started = time.perf_counter()
        path = EXTERNAL / row["file"]
        data = path.read_bytes()
        pdf = path.suffix.lower() == ".pdf"
        media = MediaType.PDF if pdf else MediaType.PNG
        page = next(iter(rasterize(data, media, 300, 200_000_000)))
        read = process_page(page, engine, data if pdf else None).text
        found = classify_text(read.text, types, model)
        fields = extract_fields(read.text, read.words)
        number, issued = fields.get("so_ky_hieu"), fields.get("ngay_ban_hanh")
        results.append(ScanResult(
            path.name, _expected_type(row["doc_type"], types), found.doc_type,
            found.confidence, found.needs_review, _printed_number(row["so_ky_hieu"]),
            number.value if number else "—", _plain_date(row["ngay_ban_hanh"]),
            issued.value if issued else "—", time.perf_counter() - started))
    return results


def _printed_number(label: str) -> str:
    """labels.tsv marks a number that page 1 does not print; nothing should be read there."""
    return "—" if "not printed" in label else label


def _plain_date(label: str) -> str:
    """"08/04/2026" as ISO; "" for a label that is not a plain date (empty, a Công báo note)."""
    parts = label.strip().split("/")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return ""
    return f"{int(parts[2]):04d}-{int(parts[1]):02d}-{int(parts[0]):02d}"


def _mark(ok: bool | None) -> str:
    return "" if ok is None else " ✓" if ok else " ✗"


def _confusions(report: dict[str, Any], limit: int = 15) -> str:
    pairs = report["top_confusions"][:limit]
    return ", ".join(f"{t} → {p} ×{n}" for t, p, n in pairs) or "none"


def markdown(model: DocTypeModel, held: dict[str, Any], scans: list[ScanResult]) -> str:
    a = held["all"]
    lines = [SECTION, "",
             f"Reproduce: `.venv/bin/python -m bench.classify_eval` (model {model.version}; "
             f"rebuild with `make train`). Held-out generated pages: {a['pages']} (other seeds; "
             "half in DejaVu Sans, never seen in training; unseen degradations).", "",
             "| held-out | accuracy | macro-F1 |", "|---|---|---|"]
    for name in ("rules_only", "model_only", "combined"):
        row = a[name]
        lines.append(f"| {name.replace('_', ' ')} | {row['accuracy']} | {row['macro_f1']} |")
    lines += ["", f"Combined: abstain (needs_review) {a['abstain_rate']}, accuracy on pages not "
              f"sent to review {a['accuracy_when_not_abstaining']}, ECE {a['ece']}; "
              f"{held['ms_per_page']} ms per page (rules + model, OCR excluded).", "",
              "Per font (combined macro-F1 / abstain): " + ", ".join(
                  f"{font} {m['combined']['macro_f1']} / {m['abstain_rate']}"
                  for font, m in held.items() if font not in ("all", "ms_per_page")) + ".", "",
              "Confusion matrix, every non-zero off-diagonal cell (true → predicted × pages; "
              "the diagonal is the per-label recall in the version's manifest): "
              f"{_confusions(a['combined'])}.", "",
              f"Lowest per-label F1 (combined): {_weakest(a['combined'])}.", "",
              "Reliability (combined confidence on held-out pages):", "",
              "| confidence bin | pages | mean confidence | accuracy |", "|---|---|---|---|"]
    lines += [f"| {b['bin'][0]}–{b['bin'][1]} | {b['count']} | {b['mean_confidence']} | "
              f"{b['accuracy']} |" for b in a["reliability"]]
    lines += ["", "Real files of `shared/data/external` (labels.tsv: two born-digital PDFs, three "
              "bilevel 200 dpi scans; first page through the service's page stage; not tuned "
              "on):", "",
              "| scan | expected type | got | confidence | review | số ký hiệu expected | "
              "extracted | ngày ban hành expected | extracted | s |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    lines += [f"| {s.file} | {s.expected_type} | {s.got_type}{_mark(s.type_ok)} | "
              f"{s.confidence} | {'yes' if s.needs_review else 'no'} | {s.expected_number} | "
              f"{s.got_number}{_mark(s.number_ok)} | {s.expected_date or 'n/a'} | "
              f"{s.got_date}{_mark(s.date_ok)} | {s.seconds:.1f} |" for s in scans]
    if scans:
        dated = [s for s in scans if s.date_ok is not None]
        lines += ["", f"Real files: type {sum(s.type_ok for s in scans)}/{len(scans)} correct, "
                  f"số ký hiệu {sum(s.number_ok for s in scans)}/{len(scans)} correct, "
                  f"ngày ban hành {sum(bool(s.date_ok) for s in dated)}/{len(dated)} correct "
                  f"(of those labelled with a plain date); "
                  f"{sum(s.needs_review for s in scans)} sent to review."]
    return "\n".join(lines) + "\n"


def _weakest(report: dict[str, Any], count: int = 8) -> str:
    rows = sorted(report["per_label"].items(), key=lambda item: item[1]["f1"])[:count]
    return ", ".join(f"{label} {row['f1']}" for label, row in rows)


def write_section(path: Path, section: str) -> None:
    """Replace this section of ``path`` (up to the next "## " heading), or append it."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--write-doc", type=Path, default=None)
    parser.add_argument("--no-scans", action="store_true")
    args = parser.parse_args(argv)
    types, model = load_document_types(), load_model()
    held = heldout_metrics(model, types)
    scans = [] if args.no_scans else real_scans(model, types)
    section = markdown(model, held, scans)
    print(section)
    if args.write_doc is not None:
        write_section(args.write_doc, section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
