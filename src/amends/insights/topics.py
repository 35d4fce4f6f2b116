"""Emerging topics: clusters of complaints that fit no known category (docs/topics.md).

The caller picks the items (recent, negative, and `fits_no_category`); this groups their
texts by shared vocabulary and names each group by the terms that set it apart. Pure: texts
in, topics out, no database.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.intp]

#: Below this category probability the shipped model is wrong more often than right
#: (held-out airline tweets, docs/topics.md#which-items).
LOW_CATEGORY_SCORE = 0.4

_NOISE = re.compile(r"(?:https?://|www\.)\S+|@\w+|\bx{2,}\b")  # links, handles, XXXX redactions
_WORD = r"(?u)\b[^\W\d_]{2,}\b"
_K_GRID = (2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30)
_SILHOUETTE_SAMPLE = 1000
_SEED = 0


@dataclass(frozen=True, slots=True)
class Doc:
    item_id: int
    text: str


@dataclass(frozen=True, slots=True)
class Topic:
    """`examples`: the members nearest the centre, texts cut to about 200 characters;
    `cohesion`: the members' mean pairwise cosine similarity (TF-IDF, 0 to 1); `recent`: the
    members that arrived in the later half of the time weighed, when known (insights.emerging)."""

    label: str
    terms: tuple[str, ...]
    size: int
    item_ids: tuple[int, ...]
    examples: tuple[Doc, ...]
    cohesion: float
    recent: int | None = None

    @property
    def growing(self) -> bool:
        """At least twice as many members in the later half of the time as in the earlier."""
        return self.recent is not None and self.recent >= 2 * (self.size - self.recent)


@dataclass(frozen=True, slots=True)
class TopicParams:
    """How topics are found (docs/topics.md#parameters)."""

    #: Smaller clusters are dropped; fewer than twice this many documents give no topics.
    min_size: int = 5
    #: The largest number of clusters tried.
    max_clusters: int = 20
    #: A cluster is kept when one of its top terms is used by at least this share of its
    #: members (and by at least `min_size` of them).
    min_share: float = 0.4
    #: Dimensions kept by the SVD before clustering.
    dims: int = 50
    terms: int = 8
    examples: int = 3
    example_chars: int = 200


def fits_no_category(category: str, score: float, threshold: float = LOW_CATEGORY_SCORE) -> bool:
    return category == "other" or score < threshold


def find_topics(docs: Sequence[Doc], params: TopicParams | None = None) -> list[Topic]:
    """Topics among `docs`, largest first; the same input always gives the same topics."""
    params = params or TopicParams()
    if len(docs) < 2 * params.min_size:
        return []
    vectorizer = TfidfVectorizer(
        preprocessor=_clean,
        token_pattern=_WORD,
        stop_words="english",
        ngram_range=(1, 2),
        min_df=2,
        sublinear_tf=True,
    )
    try:
        tfidf = sparse.csr_matrix(vectorizer.fit_transform([doc.text for doc in docs]))
    except ValueError:  # no term appears in two documents
        return []
    rows = np.flatnonzero(tfidf.getnnz(axis=1))
    if len(rows) < 2 * params.min_size:
        return []
    tfidf = tfidf[rows]
    with threadpool_limits(1):  # KMeans' OpenMP threads thrash on a busy two-core host
        labels = _cluster(_reduce(tfidf, params.dims), params)
    names = np.asarray(vectorizer.get_feature_names_out())
    topics = []
    for cluster in np.unique(labels):
        members = labels == cluster
        if members.sum() < params.min_size:
            continue
        terms = _distinctive(tfidf, members, params.terms)
        users = np.asarray((tfidf[members][:, terms] > 0).sum(axis=0)).ravel()
        # k-means cuts even unrelated texts into groups tighter than the whole, so tightness
        # does not tell a topic from noise; a word that many members share does.
        if users.max() >= max(params.min_size, params.min_share * members.sum()):
            chosen = [docs[i] for i in rows[members]]
            named = {str(names[i]): int(n) for i, n in zip(terms, users, strict=True)}
            topics.append(_topic(chosen, named, tfidf[members], params))
    return sorted(topics, key=lambda topic: (-topic.size, -topic.cohesion))


def _clean(text: str) -> str:
    return _NOISE.sub(" ", html.unescape(text).lower())


def _reduce(tfidf: sparse.csr_matrix, dims: int) -> Floats:
    """Unit vectors in at most `dims` latent dimensions, where Euclidean k-means is cosine
    k-means and near-synonyms share directions."""
    n_rows, n_terms = tfidf.shape
    if n_terms <= dims:
        return normalize(tfidf.toarray())  # type: ignore[no-any-return]
    svd = TruncatedSVD(min(dims, n_rows - 1), random_state=_SEED)
    return normalize(svd.fit_transform(tfidf))  # type: ignore[no-any-return]


def _cluster(points: Floats, params: TopicParams) -> Ints:
    """k-means for each k of a grid up to `max_clusters`, keeping the best silhouette (cosine
    distance, on a fixed sample of at most 1,000 points so its cost stays flat)."""
    distinct = len(np.unique(points.round(6), axis=0))
    top = min(params.max_clusters, max(2, len(points) // (2 * params.min_size)), distinct - 1)
    sample = np.random.default_rng(_SEED).permutation(len(points))[:_SILHOUETTE_SAMPLE]
    distances = np.clip(1.0 - points[sample] @ points[sample].T, 0.0, None)
    np.fill_diagonal(distances, 0.0)
    best: tuple[float, Ints] = (-2.0, np.zeros(len(points), dtype=np.intp))
    for k in (k for k in _K_GRID if k <= top):
        labels = KMeans(k, n_init=4, random_state=_SEED).fit_predict(points)
        if len(np.unique(labels[sample])) < 2:
            continue
        score = float(silhouette_score(distances, labels[sample], metric="precomputed"))
        if score > best[0]:
            best = (score, labels)
    return best[1]


def _cohesion(members: sparse.csr_matrix) -> tuple[float, Floats]:
    """The members' mean pairwise cosine similarity, and each one's similarity to their centre.

    Rows are unit vectors, so the pairs need not be formed: the squared length of the mean is
    (m + the sum over pairs i != j) / m**2.
    """
    size = members.shape[0]
    centre = np.asarray(members.mean(axis=0)).ravel()
    squared = float(centre @ centre)
    pairwise = (size * squared - 1.0) / (size - 1) if size > 1 else 1.0
    closeness = np.asarray(members @ centre).ravel() / (np.sqrt(squared) or 1.0)
    return pairwise, closeness


def _distinctive(tfidf: sparse.csr_matrix, members: npt.NDArray[np.bool_], top: int) -> Ints:
    """Term columns by how much more weight they carry inside the cluster than outside it."""
    inside = np.asarray(tfidf[members].mean(axis=0)).ravel()
    outside = np.asarray(tfidf[~members].mean(axis=0)).ravel() if (~members).any() else 0.0
    return np.argsort(-(inside - outside), kind="stable")[:top]


def _topic(
    members: list[Doc], terms: dict[str, int], tfidf: sparse.csr_matrix, params: TopicParams
) -> Topic:
    cohesion, closeness = _cohesion(tfidf)
    nearest = np.argsort(-closeness, kind="stable")[: params.examples]
    return Topic(
        label=" · ".join(_label_terms(terms)[:3]),
        terms=tuple(terms),
        size=len(members),
        item_ids=tuple(doc.item_id for doc in members),
        examples=tuple(
            Doc(members[i].item_id, _shorten(members[i].text, params.example_chars))
            for i in nearest
        ),
        cohesion=round(cohesion, 4),
    )


def _label_terms(users: dict[str, int]) -> list[str]:
    """Ranked terms without repeating a word: "worst", "airline", "worst airline" reads as
    "worst airline" when most who say "worst" say "worst airline", else as "worst · airline"."""
    chosen: list[str] = []
    for term, count in users.items():
        words = set(term.split())
        overlap = [seen for seen in chosen if words & set(seen.split())]
        if not overlap:
            chosen.append(term)
        elif all(set(seen.split()) < words and 2 * count >= users[seen] for seen in overlap):
            chosen[chosen.index(overlap[0])] = term
            chosen = [seen for seen in chosen if seen not in overlap[1:]]
    return chosen


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"
