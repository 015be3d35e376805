"""The generated corpus: page plans, rendering, scan degradation and real OCR, with a cache.

Every page is planned from fixed seeds (:func:`plan`), rendered and degraded, then read by the
project's own pipeline (``ingest.analysis.analyse_page`` then Tesseract ``vie``), so the model
learns real OCR noise. OCR text is cached in ``models/corpus/<split>.jsonl.gz`` keyed by the
sha256 of the page plan, of the page's content (the draft made from ``templates.yaml``, the fake
data and the type titles) and of the OCR pipeline version: rebuilding OCRs only new or changed
pages. (Rendering and degradation code are covered by the ``PIPELINE`` version: bump it.)

The ``heldout`` split uses other seeds, a font the training split never uses (DejaVu Sans, half
the pages) and degradations training never sees (``degrade.py`` profile ``heldout``).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from classify.doctypes import OTHER, DocumentTypes, load_document_types
from classify.model.templates import (
    Draft,
    continuation_draft,
    make_draft,
    model_labels,
    template_for,
)

DEFAULT_CORPUS_DIR = Path(__file__).resolve().parents[2] / "models" / "corpus"
SPLITS = ("train", "heldout")
TRAIN_FONTS = ("liberation_serif", "liberation_serif", "liberation_sans", "dejavu_serif")
HELDOUT_FONTS = ("dejavu_sans", "liberation_serif")
PIPELINE = "analyse_page+tesseract-vie-oem1-psm3/v1"


@dataclass(frozen=True)
class PagePlan:
    """Everything that decides one generated page."""

    split: str
    label: str
    index: int
    seed: int
    font: str
    size_pt: float
    dpi: int
    continuation: bool = False
    content: str = ""  # sha256 of the page's draft, so a template change re-OCRs its pages

    @property
    def key(self) -> str:
        raw = json.dumps([asdict(self), PIPELINE], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(raw.encode()).hexdigest()[:24]


@dataclass(frozen=True)
class CorpusText:
    """One OCR'd generated page."""

    key: str
    label: str
    split: str
    text: str
    font: str = ""
    dpi: int = 0
    mean_confidence: float | None = None


def _seed(*parts: object) -> int:
    return int(hashlib.sha256(repr(parts).encode()).hexdigest()[:12], 16)


def plan(split: str, per_label: int, labels: Iterable[str] | None = None) -> list[PagePlan]:
    """Deterministic page plans: ``per_label`` pages per label; ``other`` gets as many plain
    pages plus as many continuation pages (second pages of other types, odd indexes). A plan
    does not depend on ``per_label``, so a bigger corpus reuses the cached pages."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}")
    chosen = list(labels) if labels is not None else model_labels()
    fonts = TRAIN_FONTS if split == "train" else HELDOUT_FONTS
    types = load_document_types()
    plans: list[PagePlan] = []
    for label in chosen:
        count = 2 * per_label if label == OTHER else per_label
        for index in range(count):
            seed = _seed(split, label, index)
            page = PagePlan(
                split=split, label=label, index=index, seed=seed,
                font=fonts[seed % len(fonts)], size_pt=12.0 + (seed >> 3) % 3,
                dpi=(150, 150, 200)[(seed >> 5) % 3] if split == "train" else (200, 150)[
                    (seed >> 5) % 2],
                continuation=label == OTHER and index % 2 == 1)
            plans.append(replace(page, content=_content_digest(draft_of(page, types))))
    return plans


def _content_digest(draft: Draft) -> str:
    raw = json.dumps(asdict(draft), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def draft_of(page: PagePlan, types: DocumentTypes) -> Draft:
    """What ``page`` says: a draft of its label, or a second page of another type."""
    if page.continuation:
        sources = [label for label in model_labels() if label != OTHER]
        return continuation_draft(template_for(sources[page.seed % len(sources)], types),
                                  page.seed)
    return make_draft(template_for(page.label, types), page.seed)


def render_plan(page: PagePlan, types: DocumentTypes) -> object:
    """The degraded page image of ``page`` (a PIL image)."""
    from classify.model.degrade import degrade
    from classify.model.render import Style, render_draft

    draft = draft_of(page, types)
    style = Style(font=page.font, size_pt=page.size_pt, title_pt=page.size_pt + 2 + page.seed % 2,
                  spacing=1.3 + (page.seed % 5) * 0.07, margin_in=0.75 + (page.seed % 4) * 0.08,
                  dpi=page.dpi, seed=page.seed)
    profile = "train" if page.split == "train" else "heldout"
    return degrade(render_draft(draft, style), page.seed, profile, page.dpi)


_WORKER: dict[str, object] = {}


def _ocr_page(page: PagePlan) -> CorpusText:
    """Render, degrade and OCR one page (runs in a worker process)."""
    from ingest.analysis import analyse_page
    from ingest.rasterize import PageImage
    from ocr.tesseract import TesseractConfig, TesseractEngine

    if "engine" not in _WORKER:
        _WORKER["engine"] = TesseractEngine(TesseractConfig())
        _WORKER["types"] = load_document_types()
    engine = _WORKER["engine"]
    assert isinstance(engine, TesseractEngine)
    types = _WORKER["types"]
    assert isinstance(types, DocumentTypes)
    image = render_plan(page, types)
    source = PageImage(index=0, image=image, dpi=page.dpi)  # type: ignore[arg-type]
    _, ocr_image = analyse_page(source)
    result = engine.recognize(PageImage(index=0, image=ocr_image, dpi=page.dpi))
    return CorpusText(key=page.key, label=page.label, split=page.split, text=result.text,
                      font=page.font, dpi=page.dpi, mean_confidence=result.mean_confidence)


def corpus_path(split: str, directory: Path = DEFAULT_CORPUS_DIR) -> Path:
    return directory / f"{split}.jsonl.gz"


def read_corpus(path: Path) -> list[CorpusText]:
    if not path.exists():
        return []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [CorpusText(**json.loads(line)) for line in handle if line.strip()]


def write_corpus(path: Path, texts: Iterable[CorpusText]) -> None:
    """Deterministic bytes: sorted keys, no gzip timestamp."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = "".join(json.dumps(asdict(t), ensure_ascii=False, sort_keys=True) + "\n"
                    for t in texts)
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0,
                                               filename="") as handle:
        handle.write(lines.encode("utf-8"))


def build_split(split: str, per_label: int, *, directory: Path = DEFAULT_CORPUS_DIR,
                workers: int = 2, progress: Callable[[int, int], None] | None = None,
                ) -> list[CorpusText]:
    """The OCR'd pages of ``split``, reading cached pages and OCR'ing only the new ones."""
    plans = plan(split, per_label)
    path = corpus_path(split, directory)
    cached = {t.key: t for t in read_corpus(path)}
    # Index-major order: an interrupted build still has every label.
    missing = sorted((p for p in plans if p.key not in cached), key=lambda p: p.index)
    for done, text in enumerate(_ocr_all(missing, workers), start=1):
        cached[text.key] = text
        if progress is not None:
            progress(done, len(missing))
        if done % 25 == 0:  # checkpoint, so an interrupted build keeps its work
            write_corpus(path, [cached[p.key] for p in plans if p.key in cached])
    texts = [cached[p.key] for p in plans]
    write_corpus(path, texts)
    return texts


def _ocr_all(plans: list[PagePlan], workers: int) -> Iterator[CorpusText]:
    if not plans:
        return
    os.environ["OMP_THREAD_LIMIT"] = "1"
    with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
        yield from pool.map(_ocr_page, plans, chunksize=4)


def fingerprint(texts: Iterable[CorpusText]) -> str:
    """sha256 of the corpus texts and labels, in key order."""
    digest = hashlib.sha256()
    for text in sorted(texts, key=lambda t: t.key):
        digest.update(f"{text.key}\0{text.label}\0{text.text}\0".encode())
    return digest.hexdigest()
