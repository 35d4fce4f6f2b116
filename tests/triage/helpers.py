"""Reading the held-out fifth of a public data set, as the training held it out."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from amends.triage.training import data
from amends.triage.training.data import Labelled


def held_out(corpus: Labelled) -> Labelled:
    return corpus.subset(data.held_out_mask(corpus.texts))


def indices(labels: list[str], names: tuple[str, ...]) -> npt.NDArray[np.int_]:
    return np.array([names.index(label) for label in labels])


def read(folder: Path, reader: str) -> Labelled:
    corpus: Labelled = getattr(data, reader)(folder)
    return held_out(corpus)
