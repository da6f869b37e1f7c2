"""The word vectors stored in book/data/ are what tools/train_book_vectors.py trains.

Each corpus is retrained into a temporary folder (about 10-25 s each on the project's 2-core
machine) and compared with the stored files: same description (settings, corpus and
vocabulary sizes), same words in the same order, and vectors within ``TOLERANCE``. On the
machine that wrote them the files come out byte for byte identical (training is
deterministic for a fixed seed); another BLAS kernel sums in a different order, and five
epochs amplify those last-bit differences: measured with ``OPENBLAS_CORETYPE=Haswell``
against the kernel that wrote the files, the Shakespeare vectors moved by at most about
1e-4 and the Reina-Valera vectors by up to 0.0066 (December 2026, on the project's 2-core
machine), plus up to 1e-4 where rounding to 4 decimals falls on the other side.
``TOLERANCE`` is three times the larger drift; a change of settings, seed or training code
moves values by 0.1 or more (``test_a_change_of_seed_is_far_beyond_the_tolerance``).
"""
from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

import w2vlib

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("train_book_vectors", ROOT / "tools" / "train_book_vectors.py")
train_book_vectors = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(train_book_vectors)

TOLERANCE = 0.02


def differences(stored: Path, fresh: Path, corpus: str) -> list[str]:
    """How the files of ``corpus`` in folder ``fresh`` differ from those in ``stored``."""
    stored_wv, stored_info = train_book_vectors.load(corpus, stored)
    fresh_wv, fresh_info = train_book_vectors.load(corpus, fresh)
    problems = []
    if stored_info != fresh_info:
        changed = sorted(key for key in stored_info.keys() | fresh_info.keys()
                         if stored_info.get(key) != fresh_info.get(key))
        problems.append(f"{corpus}: the description differs in {changed}")
    if stored_wv.index_to_key != fresh_wv.index_to_key:
        problems.append(f"{corpus}: the words or their order differ")
    else:
        gap = float(np.max(np.abs(stored_wv.vectors - fresh_wv.vectors)))
        if gap > TOLERANCE:
            problems.append(f"{corpus}: vectors differ by up to {gap:.3g} > {TOLERANCE}")
    return problems


@pytest.mark.parametrize("corpus", list(train_book_vectors.CORPORA))
def test_stored_vectors_are_what_the_script_trains(corpus, tmp_path):
    train_book_vectors.write(corpus, tmp_path)
    problems = differences(train_book_vectors.DATA, tmp_path, corpus)
    assert not problems, "\n".join(problems) + "\nregenerate them with `make vectors`"


def test_the_comparison_objects_to_doctored_vectors(tmp_path):
    stored, doctored = tmp_path / "stored", tmp_path / "doctored"
    stored.mkdir()
    doctored.mkdir()
    words = ["rey", "reina", "espada"]
    vectors = np.array([[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]])
    info = {"settings": {"random_state": 1}, "vocabulary_size": 3}

    def save(folder, vectors, words, info):
        for corpus in train_book_vectors.CORPORA:
            w2vlib.KeyedVectors(vectors, words).save_word2vec_format(
                train_book_vectors.vectors_path(corpus, folder))
            train_book_vectors.info_path(corpus, folder).write_text(json.dumps(info))

    corpus = next(iter(train_book_vectors.CORPORA))
    save(stored, vectors, words, info)
    save(doctored, vectors + 5e-4, words, info)  # within the tolerance
    assert differences(stored, doctored, corpus) == []
    save(doctored, vectors + [[0, 0], [0, 0.05], [0, 0]], words, info)
    assert "vectors differ by up to 0.05" in differences(stored, doctored, corpus)[0]
    save(doctored, vectors, ["rey", "espada", "reina"], info)
    assert "order differ" in differences(stored, doctored, corpus)[0]
    save(doctored, vectors, words, {**info, "settings": {"random_state": 2}})
    assert "['settings']" in differences(stored, doctored, corpus)[0]


def test_a_change_of_seed_is_far_beyond_the_tolerance():
    # the stored seed-2 vectors (chapter 8) hold the 5000 most frequent words of seed 1's
    for corpus in ("shakespeare", "reina_valera"):
        seed1 = w2vlib.KeyedVectors.load_word2vec_format(train_book_vectors.vectors_path(corpus))
        seed2 = w2vlib.KeyedVectors.load_word2vec_format(
            train_book_vectors.DATA / f"{corpus}_sgns_seed2.vec.gz")
        rows = [seed1.get_index(word) for word in seed2.index_to_key]
        assert np.max(np.abs(seed1.vectors[rows] - seed2.vectors)) > 5 * TOLERANCE


def test_stored_files_are_small_and_rounded():
    for corpus in train_book_vectors.CORPORA:
        path = train_book_vectors.vectors_path(corpus)
        assert path.stat().st_size < 1.5e6, f"{path} is {path.stat().st_size} bytes"
        with gzip.open(path, "rt", encoding="utf-8") as file:
            file.readline()
            values = file.readline().split()[1:]
        decimals = max(len(value.partition(".")[2]) for value in values)
        assert decimals <= train_book_vectors.DECIMALS, f"{path}: {decimals} decimals"
