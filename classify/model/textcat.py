"""The spaCy text classifier: a blank ``vi`` pipeline with one exclusive ``textcat``
(bag-of-words, ``spacy.TextCatBOW.v3``), trained from fixed seeds on token lists made by
:mod:`classify.model.features`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch
from spacy.vocab import Vocab
from thinc.api import Adam

EMPTY_TOKEN = "<trống>"


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides a trained model besides its data.

    ``length`` is the number of hash buckets of the bag of words: the weights are
    ``labels × length`` floats, so it sets the artefact size (2**13 ≈ 4.5 MB for 137 labels).
    """

    tokenization: str = "syllable"
    ngram_size: int = 2
    length: int = 2**13
    epochs: int = 10
    batch_size: int = 16
    learn_rate: float = 0.001
    l2: float = 0.0
    grad_clip: float = 0.0
    seed: int = 20260501

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def new_pipeline(labels: Sequence[str], config: TrainConfig) -> Language:
    nlp = spacy.blank("vi", config={
        "nlp": {"tokenizer": {"use_pyvi": config.tokenization == "pyvi"}}})
    textcat = nlp.add_pipe("textcat", config={"model": {
        "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True,
        "ngram_size": config.ngram_size, "no_output_layer": False, "length": config.length}})
    for label in labels:
        textcat.add_label(label)  # type: ignore[attr-defined]
    return nlp


def make_doc(vocab: Vocab, tokens: Sequence[str]) -> Doc:
    return Doc(vocab, words=list(tokens) or [EMPTY_TOKEN])


def train(data: Sequence[tuple[Sequence[str], str]], labels: Sequence[str],
          config: TrainConfig) -> Language:
    """Train on (tokens, label) pairs; the same data and config give the same weights.

    The textcat's thinc model is updated with the cross-entropy gradient. ``nlp.update`` would
    use spaCy's textcat loss, the squared error of the softmax output, whose gradient vanishes
    on confidently wrong pages: rare types whose title differs from a common one by a word
    ("TỜ KHAI ĐĂNG KÝ LẠI KHAI SINH") were never fitted, even on their own training pages.
    """
    fix_random_seed(config.seed)
    nlp = new_pipeline(labels, config)
    examples = [Example.from_dict(make_doc(nlp.vocab, tokens),
                                  {"cats": {name: float(name == label) for name in labels}})
                for tokens, label in data]
    nlp.initialize(lambda: examples)
    model = nlp.get_pipe("textcat").model  # type: ignore[attr-defined]
    index = {label: i for i, label in enumerate(labels_of(nlp))}
    pairs = [(eg.predicted, index[label]) for eg, (_, label) in zip(examples, data, strict=True)]
    optimizer = Adam(config.learn_rate, L2=config.l2, grad_clip=config.grad_clip)
    order = random.Random(config.seed)
    for _ in range(config.epochs):
        order.shuffle(pairs)
        for batch in minibatch(pairs, size=config.batch_size):
            docs, truth = zip(*batch, strict=True)
            probs, backprop = model.begin_update(list(docs))
            target = np.zeros_like(probs)
            target[np.arange(len(truth)), list(truth)] = 1.0
            # d(cross-entropy)/d(probabilities); the softmax backprop turns it into p − y.
            backprop(-target / np.clip(probs, 1e-7, 1.0) / len(truth))
            model.finish_update(optimizer)
    return nlp


def predict_proba(nlp: Language, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
    """Probabilities, one row per text, columns in the order of the textcat labels.

    The docs get a throw-away vocabulary: the bag of words reads only the hash of each token,
    and a long-running service must not grow the model's string store with every OCR typo."""
    textcat = nlp.get_pipe("textcat")
    vocab = Vocab()
    docs = [make_doc(vocab, tokens) for tokens in token_lists]
    if not docs:
        width = len(labels_of(nlp))
        return np.zeros((0, width))
    scores = textcat.model.predict(docs)  # type: ignore[attr-defined]
    return np.asarray(scores, dtype=np.float64)


def labels_of(nlp: Language) -> tuple[str, ...]:
    return tuple(nlp.get_pipe("textcat").labels)  # type: ignore[attr-defined]
