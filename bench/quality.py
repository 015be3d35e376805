"""OCR quality: raw Tesseract against the sohoa path, with and without syllable correction.

    .venv/bin/python -m bench.quality run [--workers 2] [--profiles clean,scan_heavy] [--lines]
    .venv/bin/python -m bench.quality report   # the tables again, from var/bench/quality/
    .venv/bin/python -m bench.quality fit [--workers 2] [--pages 23] [--reuse]

``run`` reads the real pages (6) and line crops (85) of ``../shared/data/external``, clean and
under each profile of ``bench.degrade`` (fixed seeds), with: (a) ``tesseract -l vie --oem 1
--psm 3``, (b) ``-l Vietnamese``, (c) ``-l vie+Vietnamese``, (d) sohoa
(``api.page_pipeline.process_page``: analysis, preprocessing, ``vie``) before and (e) after its
correction stage, from the same single pass.
Line crops are padded with white and read with ``--psm 7`` by every system. CER and WER per page
are line-aligned (``ocr.correction.metrics``); CPU seconds count this process and its children.
Per-image rows go to ``var/bench/quality/``; the markdown tables to stdout.

``fit`` builds the dev set from held-out national-portal text (records the lexicon never saw),
rendered in Liberation Serif 12 pt (some lines italic or bold) and degraded with other seeds,
reads it with the sohoa path, fits ``ocr/lexicon/channel.json`` on half the pages and reports
the correction on the other half for a grid of margins. The evaluation pages are never used to
fit or tune anything.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from functools import lru_cache, partial
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from api.page_pipeline import process_page
from bench.degrade import PROFILES, degrade, pad, seed_for
from ingest.rasterize import PageImage
from ingest.text import nfc
from ocr.correction import channel as channel_model
from ocr.correction.corpus import portal_texts
from ocr.correction.corrector import Corrector
from ocr.correction.metrics import Errors, aligned_words, errors, page_errors
from ocr.correction.ngram import default_model
from ocr.model import PageCorrection, Word
from ocr.postcorrect import NoCorrection
from ocr.tesseract import TesseractConfig, TesseractEngine
from tests.shared_data import shared_data
from tests.synthetic import A4_INCHES, FONT_DIR

REPO = Path(__file__).resolve().parents[1]
EXTERNAL = shared_data("external")
PORTAL = shared_data("catalogue", "national-portal-sample")
OUT = REPO / "var" / "bench" / "quality"
DPI = 200
RAW = {"a_vie": "vie", "b_Vietnamese": "Vietnamese", "c_vie+Vietnamese": "vie+Vietnamese"}
SYSTEMS = (*RAW, "d_sohoa", "e_sohoa+correction")


@dataclass(frozen=True)
class Item:
    """One image to read and its truth: a page (psm 3) or a line crop (psm 7)."""

    name: str
    image: str
    truth: str
    kind: str  # page | line
    profile: str


@dataclass(frozen=True)
class Reading:
    text: str
    cpu: float
    words: tuple[Word, ...] = ()


def cpu_now() -> float:
    own = time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own + children.ru_utime + children.ru_stime


def measured(work: Callable[[], tuple[str, tuple[Word, ...]]]) -> Reading:
    started = cpu_now()
    text, words = work()
    return Reading(text, cpu_now() - started, words)


def raw_tesseract(path: Path, lang: str, psm: int) -> tuple[str, tuple[Word, ...]]:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    done = subprocess.run(["tesseract", str(path), "stdout", "-l", lang, "--oem", "1",
                           "--psm", str(psm)], capture_output=True, env=env, check=False)
    # A crash (``-l Vietnamese`` dies with SIGFPE on some line crops) reads as nothing: every
    # character of that image counts as an error, and the row says so.
    return (done.stdout.decode("utf-8") if done.returncode == 0 else ""), ()


@lru_cache(maxsize=2)
def engine(psm: int) -> TesseractEngine:
    return TesseractEngine(TesseractConfig(psm=psm))


def sohoa(image: Image.Image, psm: int) -> tuple[str, tuple[Word, ...]]:
    """The sohoa path without correction (the raw reading the corrector starts from)."""
    result = process_page(PageImage(index=0, image=image, dpi=DPI), engine(psm), None,
                          NoCorrection())
    return result.text.text, result.text.words


def sohoa_both(image: Image.Image, psm: int) -> tuple[Reading, Reading, PageCorrection | None]:
    """The sohoa pipeline as deployed (with the correction stage): raw and corrected readings."""
    started = cpu_now()
    page = process_page(PageImage(index=0, image=image, dpi=DPI), engine(psm), None).text
    cpu = cpu_now() - started
    fix = page.correction
    stage = fix.seconds if fix is not None else 0.0
    return Reading(page.raw_text, cpu - stage), Reading(page.text, cpu), fix


def prepared(item: Item) -> Image.Image:
    with Image.open(item.image) as source:
        image = source.convert("RGB")
    if item.kind == "line":
        image = pad(image, 20 + round(0.025 * image.width))
    return degrade(image, item.profile, seed_for(Path(item.image).name, item.profile), DPI)


def read_item(item: Item, systems: Sequence[str] = SYSTEMS) -> dict[str, object]:
    """Every system on one image; the row of scores and CPU seconds."""
    psm = 3 if item.kind == "page" else 7
    image = prepared(item)
    score = page_errors if item.kind == "page" else errors
    row: dict[str, object] = {"name": item.name, "kind": item.kind, "profile": item.profile}
    with tempfile.TemporaryDirectory(prefix="sohoa-quality-") as tmp:
        path = Path(tmp) / "image.png"
        image.save(path, dpi=(DPI, DPI))
        readings = {name: measured(partial(raw_tesseract, path, lang, psm))
                    for name, lang in RAW.items() if name in systems}
    ours, fixed, fix = sohoa_both(image, psm)
    readings |= {"d_sohoa": ours, "e_sohoa+correction": fixed}
    for name, reading in readings.items():
        row[name] = asdict(score(reading.text, item.truth)) | {"cpu": round(reading.cpu, 3)}
    row["changes"] = [[f.original, f.corrected] for f in fix.fixes] if fix else []
    return row


def external_items(profiles: Iterable[str], lines: bool, pages: bool) -> list[Item]:
    rows = (EXTERNAL / "manifest.tsv").read_text(encoding="utf-8").splitlines()[1:]
    items = []
    for profile in profiles:
        for row in rows:
            file, truth = row.split("\t")[:2]
            if pages and "/pages/" in file:
                text = (EXTERNAL / truth).read_text(encoding="utf-8")
                items.append(Item(Path(file).stem, str(EXTERNAL / file), text, "page", profile))
            elif lines and "/lines/" in file:
                items.append(Item(Path(file).stem, str(EXTERNAL / file), truth, "line", profile))
    return items


def run_all(items: Sequence[Item], workers: int, out: Path, resume: bool = False
            ) -> list[dict[str, object]]:
    """Read ``items``; with ``resume``, keep the rows already in ``out`` and read the rest."""
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = []
    if resume and out.exists():
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        done = {(r["name"], r["profile"]) for r in rows}
        items = [i for i in items if (i.name, i.profile) not in done]
    with ProcessPoolExecutor(workers) as pool, out.open("a" if resume else "w",
                                                         encoding="utf-8") as sink:
        for row in pool.map(read_item, items):
            rows.append(row)
            sink.write(json.dumps(row, ensure_ascii=False) + "\n")
    return rows


def total(rows: Iterable[dict[str, object]], system: str) -> tuple[Errors, float, int]:
    sum_errors, cpu, count = Errors(0, 0, 0, 0), 0.0, 0
    for row in rows:
        cell = row[system]
        assert isinstance(cell, dict)
        sum_errors += Errors(cell["char_errors"], cell["chars"], cell["word_errors"],
                             cell["words"])
        cpu, count = cpu + float(cell["cpu"]), count + 1
    return sum_errors, cpu / max(count, 1), count


def table(rows: Sequence[dict[str, object]], kind: str, by: str) -> str:
    """Markdown: one line per ``by`` value (profile or name), CER / WER / CPU per system."""
    chosen = [r for r in rows if r["kind"] == kind]
    keys = list(dict.fromkeys(str(r[by]) for r in chosen))
    groups = [(k, [r for r in chosen if r[by] == k]) for k in keys]
    if by == "profile" and len(keys) > 1:
        groups.append(("all degraded", [r for r in chosen if r["profile"] != "clean"]))
    head = f"| {by} | n | " + " | ".join(f"{s} CER / WER" for s in SYSTEMS) + " | e vs a |"
    lines = [head, "|" + "---|" * (len(SYSTEMS) + 3)]
    for key, group in groups:
        cells = [total(group, s)[0] for s in SYSTEMS]
        ratio = cells[-1].cer / cells[0].cer - 1 if cells[0].cer else 0.0
        lines.append(f"| {key} | {len(group)} | " + " | ".join(
            f"{c.cer:.2%} / {c.wer:.2%}" for c in cells) + f" | {ratio:+.0%} |")
    cpu = [total(chosen, s)[1] for s in SYSTEMS]
    lines.append(f"| CPU s per {kind} | | " + " | ".join(f"{c:.2f}" for c in cpu) + " | |")
    return "\n".join(lines)


def dev_pages(count: int, lines_per_page: int = 40) -> list[str]:
    """Pages of held-out portal text, wrapped like a printed page (never the lexicon's text)."""
    text = nfc(" ".join(" ".join(t.split()) for t in portal_texts(PORTAL, held_out=True)))
    wrapped = textwrap.wrap(text, width=90)
    return ["\n".join(wrapped[i:i + lines_per_page])
            for i in range(0, min(len(wrapped), count * lines_per_page), lines_per_page)]


DEV_STYLES = ("Regular", "Regular", "Regular", "Italic", "Regular", "Bold", "Regular")


def dev_render(truth: str, number: int) -> Image.Image:
    """A4 page of ``truth`` in Liberation Serif 12 pt; some lines italic or bold, as in decrees."""
    width, height = round(A4_INCHES[0] * DPI), round(A4_INCHES[1] * DPI)
    page = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(page)
    size = round(12 * DPI / 72)
    for i, line in enumerate(truth.splitlines()):
        style = DEV_STYLES[(number + i) % len(DEV_STYLES)]
        face = ImageFont.truetype(str(FONT_DIR / f"LiberationSerif-{style}.ttf"), size)
        draw.text((round(0.9 * DPI), round(0.7 * DPI) + round(i * size * 1.45)), line,
                  font=face, fill="black")
    return page


def dev_item(args: tuple[int, str, str]) -> dict[str, object]:
    """One dev page under one profile through the sohoa path: text, words and truth."""
    number, profile, truth = args
    image = dev_render(truth, number)
    image = degrade(image, profile, seed_for(f"dev-{number}", profile), DPI)
    text, words = sohoa(image, 3)
    return {"page": number, "profile": profile, "truth": truth, "text": text,
            "words": [[w.text, w.conf, list(w.box)] for w in words]}


def _read_words(row: dict[str, object]) -> list[tuple[str, float]]:
    words = row["words"]
    assert isinstance(words, list)
    return [(str(w[0]), float(w[1])) for w in words]


def dev_pairs(rows: Iterable[dict[str, object]]) -> list[channel_model.WordPair]:
    pairs = []
    for row in rows:
        read = _read_words(row)
        pairs += aligned_words([t for t, _ in read], str(row["truth"]).split(),
                               [c for _, c in read])
    return pairs


def fit(args: argparse.Namespace) -> None:
    jobs = [(n, p, t) for n, t in enumerate(dev_pages(args.pages)) for p in PROFILES]
    cache = OUT / "dev.jsonl"
    if args.reuse and cache.exists():
        rows = [json.loads(line) for line in cache.read_text(encoding="utf-8").splitlines()]
    else:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with ProcessPoolExecutor(args.workers) as pool:
            rows = list(pool.map(dev_item, jobs))
        cache.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                         encoding="utf-8")
    channel = channel_model.fit(dev_pairs(r for r in rows if int(str(r["page"])) % 2 == 0))
    channel_model.save(channel)
    print(json.dumps(channel.as_json()))
    tune = [r for r in rows if int(str(r["page"])) % 2 == 1]
    for margin in args.margins:
        print(f"margin {margin}: " + dev_report(tune, Corrector(default_model(), channel,
                                                                  margin=margin)))


def dev_report(rows: Sequence[dict[str, object]], corrector: Corrector) -> str:
    before, after, changes = Errors(0, 0, 0, 0), Errors(0, 0, 0, 0), 0
    for row in rows:
        words = tuple(Word(text, conf, (0, 0, 0, 0)) for text, conf in _read_words(row))
        fixed = corrector.correct_text(str(row["text"]), words)
        before += errors(str(row["text"]), str(row["truth"]))
        after += errors(fixed.text, str(row["truth"]))
        changes += len(fixed.changes)
    return (f"CER {before.cer:.3%} -> {after.cer:.3%} ({after.char_errors - before.char_errors:+d}"
            f" chars), WER {before.wer:.2%} -> {after.wer:.2%}, {changes} changes")


def run(args: argparse.Namespace) -> None:
    profiles = args.profiles.split(",") if args.profiles else list(PROFILES)
    if not args.lines_only:
        run_all(external_items(profiles, False, True), args.workers, OUT / "pages.jsonl",
                args.resume)
    if args.lines or args.lines_only:
        run_all(external_items(profiles, True, False), args.workers, OUT / "lines.jsonl",
                args.resume)
    report(args)


def report(args: argparse.Namespace) -> None:
    """Print the markdown tables from the rows of the last ``run``."""
    for kind, file in (("page", "pages.jsonl"), ("line", "lines.jsonl")):
        path = OUT / file
        if not path.exists():
            continue
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        print(f"{kind}s by profile\n\n{table(rows, kind, 'profile')}\n")
        for profile in ("clean", "scan_heavy") if kind == "page" else ():
            chosen = [r for r in rows if r["profile"] == profile]
            print(f"{kind}s, {profile}\n\n{table(chosen, kind, 'name')}\n")
        print(f"{kind}s where correction raised the CER: {worse(rows)} of {len(rows)}; "
              f"words changed: {sum(len(r['changes']) for r in rows)}\n")


def worse(rows: Iterable[dict[str, object]]) -> int:
    def chars(row: dict[str, object], system: str) -> int:
        cell = row[system]
        assert isinstance(cell, dict)
        return int(cell["char_errors"])
    return sum(chars(r, SYSTEMS[-1]) > chars(r, SYSTEMS[-2]) for r in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("run", "fit", "report"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--profiles", default="")
    parser.add_argument("--lines", action="store_true", help="also the 85 line crops")
    parser.add_argument("--lines-only", action="store_true")
    parser.add_argument("--pages", type=int, default=23, help="dev pages for fit")
    parser.add_argument("--reuse", action="store_true", help="fit: reuse the dev OCR cache")
    parser.add_argument("--resume", action="store_true",
                        help="run: keep the rows already written, read only the missing images")
    parser.add_argument("--margins", type=float, nargs="*", default=[0.5, 1, 2, 3, 4, 6])
    args = parser.parse_args()
    {"run": run, "fit": fit, "report": report}[args.command](args)


if __name__ == "__main__":
    main()
