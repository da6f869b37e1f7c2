"""Streaming training: ``Word2Vec.fit`` on a file path or a re-iterable reads it chunk
by chunk, in memory bounded by the chunk, not by the corpus."""
import gzip
import os
import subprocess
import sys

import numpy as np
import pytest

from w2vlib import LineSentences, Word2Vec, read_sentences, shakespeare_sentences
from w2vlib.corpora import write_sentences

SETTINGS = dict(vector_size=20, epochs=2, random_state=3, min_count=2)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    sentences = shakespeare_sentences(["macbeth"])
    path = tmp_path_factory.mktemp("stream") / "macbeth.txt"
    write_sentences(sentences, path)
    return sentences, path


@pytest.mark.parametrize("block_bytes", [3, 5, 64, 1 << 20])
def test_line_sentences_reads_as_read_sentences(tmp_path, block_bytes):
    # BOM, blank lines, a multi-byte letter across block ends, and the characters that
    # Python but not word2vec counts as line breaks: they separate words.
    text = "\ufeffaño cañón\n\n  x\ry\x85z\u2028w \n\nñandú ñu\nlast"
    for path in (tmp_path / "plain.txt", tmp_path / "packed.txt.gz"):
        data = text.encode("utf-8")
        path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
        expected = read_sentences(path)
        assert expected[1] == ["x", "y", "z", "w"]
        reader = LineSentences(path, block_bytes=block_bytes)
        assert list(reader) == expected
        assert list(reader) == expected  # re-iterable: read again from the start


def test_line_sentences_errors_name_the_file_and_offset(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes(b"good words\nbad \xf1 word\n")
    with pytest.raises(ValueError) as from_list:
        read_sentences(path)
    with pytest.raises(ValueError) as streamed:
        list(LineSentences(path, block_bytes=4))
    assert str(streamed.value) == str(from_list.value)
    assert "offset 15" in str(streamed.value)
    (tmp_path / "blank.txt").write_text("\n \n", encoding="utf-8")
    with pytest.raises(ValueError, match="contains no words"):
        list(LineSentences(tmp_path / "blank.txt"))
    with pytest.raises(FileNotFoundError, match="no such file"):
        LineSentences(tmp_path / "missing.txt")


@pytest.mark.parametrize("options", [{}, {"hs": True, "negative": 0}, {"cbow": True}])
def test_one_chunk_is_bit_identical_to_the_list(corpus, options):
    sentences, path = corpus
    from_list = Word2Vec(**SETTINGS, **options).fit(sentences)
    streamed = Word2Vec(chunk_words=10**9, **SETTINGS, **options).fit(path)
    assert np.array_equal(from_list.wv_.vectors, streamed.wv_.vectors)
    assert np.array_equal(from_list.U_, streamed.U_)
    assert from_list.loss_history_ == streamed.loss_history_


@pytest.mark.parametrize("options", [{}, {"hs": True, "negative": 0}])
def test_chunks_change_the_draws_not_the_model(corpus, options):
    sentences, path = corpus
    from_list = Word2Vec(**SETTINGS, **options).fit(sentences)
    chunked = Word2Vec(chunk_words=2000, **SETTINGS, **options).fit(str(path))
    again = Word2Vec(chunk_words=2000, **SETTINGS, **options).fit(LineSentences(path))
    assert np.array_equal(chunked.wv_.vectors, again.wv_.vectors)  # same seed
    assert chunked.wv_.index_to_key == from_list.wv_.index_to_key
    assert not np.array_equal(chunked.wv_.vectors, from_list.wv_.vectors)
    # the same training, other random streams: the losses agree to a few percent
    assert chunked.loss_history_ == pytest.approx(from_list.loss_history_, rel=0.03)


def test_a_str_that_is_not_a_file_is_still_refused():
    with pytest.raises(TypeError, match="single str"):
        Word2Vec(**SETTINGS).fit("the cat sat on the mat")


class _Reiterable:
    def __init__(self, sentences):
        self.sentences = sentences

    def __iter__(self):
        return iter(self.sentences)


def test_a_reiterable_without_pairs_is_refused():
    with pytest.raises(ValueError, match="no training pairs"):
        Word2Vec(**dict(SETTINGS, min_count=1)).fit(_Reiterable([["a"], ["b"]]))


PEAK = """
import sys
from w2vlib import Word2Vec

def status(field):
    with open('/proc/self/status') as file:
        return int(file.read().split(field + ':')[1].split()[0])

corpus = sys.argv[1] if sys.argv[2] == 'stream' else [
    line.split() for line in open(sys.argv[1], encoding='utf-8')]
with open('/proc/self/clear_refs', 'w') as file:
    file.write('5')  # the peak (VmHWM) starts again from the current RSS
before = status('VmRSS')
Word2Vec(vector_size=10, epochs=1, random_state=0, chunk_words=20000).fit(corpus)
print(status('VmHWM') - before)
"""


def _peak_kb(path, how):
    """kB the process's peak RSS rises by while it trains (after imports, and after
    reading the corpus into a list for ``how="list"``)."""
    done = subprocess.run([sys.executable, "-c", PEAK, str(path), how],
                          capture_output=True, text=True, check=True,
                          env=dict(os.environ, OMP_NUM_THREADS="1"))
    return int(done.stdout.split()[-1])


def test_memory_does_not_grow_with_the_corpus(tmp_path):
    """The rise of peak RSS during training, measured in fresh processes on 0.25 M and
    1 M generated tokens (the same 2,000 words): streamed, it grows by far less with
    the corpus than training the in-memory list of 1 M tokens adds."""
    rng = np.random.default_rng(0)
    words = np.array([f"w{i}" for i in range(2000)])
    probabilities = 1 / np.arange(1, 2001)
    probabilities /= probabilities.sum()
    paths = {}
    for size in (250_000, 1_000_000):
        tokens = rng.choice(words, size=size, p=probabilities).reshape(-1, 20)
        paths[size] = tmp_path / f"{size}.txt"
        paths[size].write_text("\n".join(" ".join(row) for row in tokens) + "\n",
                               encoding="utf-8")
    streamed = {size: _peak_kb(path, "stream") for size, path in paths.items()}
    growth = streamed[1_000_000] - streamed[250_000]
    # what training a list of the same 1 M tokens holds on top of the list itself:
    # the encoded corpus (two int64 per token) and the epoch's arrays
    in_memory = _peak_kb(paths[1_000_000], "list")
    assert in_memory > 16_000, in_memory
    assert growth < in_memory / 8, (streamed, in_memory)
    # and a list of 0.75 M more tokens, about 160 bytes each, would add some 100 MB
