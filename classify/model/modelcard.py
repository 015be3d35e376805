"""``models/doctype/MODEL_CARD.md``, written from the current version's manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from classify.model.artefact import MANIFEST, read_json

CARD = """# Model card: document-type classifier (phân loại giấy tờ)

Version **{version}** (created {created}), `models/doctype/{version}/`. Rebuild: `make train`
(`python -m classify.model.build`); files are checked against the sha256 in the manifest at
start-up (`classify.model.load_model`).

## Intended use
Names the type (`doc_type`, classify/doctypes.yaml) of one page of a Vietnamese one-stop dossier
from its OCR text, together with the title rules of `classify.rules`
(`classify.model.classify_text`). It gives a calibrated confidence; pages below
{threshold} (and every `other` page) go to the review queue. It is a second opinion for pages
whose title the rules cannot read, and the only recogniser of catalogue types that have no
printed title (umbrella types such as giấy tờ chứng minh chỗ ở hợp pháp). It is **not** meant to
decide alone: a person confirms what it is unsure of.

## Data
- **Generated only; not trained on any real scan.** {train_pages} training pages and
  {heldout_pages} held-out pages, {labels}
  labels: title phrases and printed labels of DOMAIN.md §2/§5 (classify/model/templates.yaml),
  Faker `vi_VN` names and places, identifiers valid per DOMAIN.md §6; rendered on A4 at 150/200
  dpi in {fonts_train}; degraded (skew, blur, noise, low contrast, JPEG, bilevel, seals,
  "CÔNG VĂN ĐẾN" stamps, signatures); read by the project's own page analysis and Tesseract
  `vie` (the OCR text is cached in `models/corpus/`).
- Held-out pages use other seeds, the font {fonts_heldout} for half of them (never seen in
  training) and degradations training never sees (lid shadow, faded/bled ink, resolution loss,
  heavy speckle, stronger skew). They are never used for training, model selection or
  calibration.
- Types marked *[synthetic family]* in templates.yaml have no printed title of their own; their
  pages are common real papers of that kind (e.g. Giấy phép xây dựng for "chỗ ở hợp pháp"), chosen
  by us, unverified against real dossiers.
- Data fingerprint (sha256 of the training texts): `{fingerprint}`; held-out: `{heldout_fp}`.
- Seeds: training {seed}; corpus pages `{corpus_seed}`; cross-validation folds `{val_seed}`.

## Model
spaCy {spacy} `textcat` (exclusive classes, `spacy.TextCatBOW.v3`, n-grams ≤ {ngram}, {length}
hash buckets) on a blank `vi` pipeline, trained with a cross-entropy loss (Adam, {epochs}
epochs); tokens are **{tokenization}** (chosen on cross-validated macro-F1; comparison below);
tokens of the top lines and of the capitalised title-zone lines are also given with `t:` and
`u:` prefixes. Softmax temperature {temperature}; rules and model are combined by a noisy-OR
with an isotonic map fitted on five-fold out-of-fold predictions of the training split
(classify/model/combine.py, classify/model/training.py).

## Metrics (held-out generated pages, {heldout_pages} pages)
| | accuracy | macro-F1 |
|---|---|---|
| rules alone | {rules_acc} | {rules_f1} |
| model alone | {model_acc} | {model_f1} |
| **combined** | **{comb_acc}** | **{comb_f1}** |

Abstain (needs_review) rate {abstain}; accuracy on pages not sent to review {kept}; expected
calibration error {ece}.

Tokenization comparison (macro-F1):
{comparison}

Per-label precision/recall/F1 are in the version's `manifest.json` (`metrics.heldout`).

## Limits
- Generated pages only: real forms vary more in wording, layout and handwriting. The three real
  scans of `shared/data/external` are a check (docs/benchmarks.md), not training data.
- Handwritten filling, photos of pages, tables and multi-column layouts are not modelled.
- Umbrella types are learnt from our own stand-in papers; content-free components (the original
  or copy to certify, a paper whose signature is certified) have no label at all.
- Continuation pages are labelled `other`: the splitter attaches them to the document before.
"""


def _comparison(data: dict[str, Any]) -> str:
    rows = ["| tokenization | cross-validated combined | held-out model | held-out combined | "
            "train + calibrate s |", "|---|---|---|---|---|"]
    for name, row in sorted(data.items()):
        rows.append(f"| {name} | {row['cv_combined_macro_f1']} | "
                    f"{row['heldout_model_macro_f1']} | {row['heldout_combined_macro_f1']} | "
                    f"{row['train_and_calibrate_seconds']} |")
    return "\n".join(rows)


def write_model_card(root: Path, directory: Path) -> Path:
    m = read_json(directory / MANIFEST)
    held, data, config = m["metrics"]["heldout"], m["data"], m["train_config"]
    text = CARD.format(
        version=m["version"], created=m["created"], threshold=m["calibration"]["review_threshold"],
        train_pages=data["train_pages"], heldout_pages=data["heldout_pages"],
        labels=len(m["labels"]), fonts_train=", ".join(data["generator"]["fonts_train"]),
        fonts_heldout=", ".join(sorted(set(data["generator"]["fonts_heldout"]) -
                                       set(data["generator"]["fonts_train"]))),
        fingerprint=data["fingerprint"], heldout_fp=data["heldout_fingerprint"],
        seed=m["seeds"]["train"], corpus_seed=m["seeds"]["corpus"],
        val_seed=m["seeds"]["cross_validation_folds"], spacy=m["libraries"].get("spacy"),
        ngram=config["ngram_size"], length=config["length"], tokenization=m["tokenization"],
        epochs=config["epochs"],
        temperature=m["calibration"]["temperature"],
        rules_acc=held["rules_only"]["accuracy"], rules_f1=held["rules_only"]["macro_f1"],
        model_acc=held["model_only"]["accuracy"], model_f1=held["model_only"]["macro_f1"],
        comb_acc=held["combined"]["accuracy"], comb_f1=held["combined"]["macro_f1"],
        abstain=held["abstain_rate"], kept=held["accuracy_when_not_abstaining"],
        ece=held["ece"], comparison=_comparison(m.get("tokenization_comparison", {})))
    path = root / "MODEL_CARD.md"
    path.write_text(text, encoding="utf-8")
    return path
