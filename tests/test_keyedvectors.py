"""Tests for w2vlib.keyedvectors: lookups, similarities against gensim, file formats."""
import os
from pathlib import Path

import numpy as np
import pytest
from gensim.models import KeyedVectors as GensimKeyedVectors

from w2vlib.keyedvectors import KeyedVectors
from w2vlib.similarity import cosine_similarity

WORDS = ["rey", "reina", "hombre", "mujer", "perro", "gato", "casa", "árbol", "niño", "niña",
         "sol", "luna"]


@pytest.fixture
def wv():
    vectors = np.random.default_rng(11).normal(size=(len(WORDS), 5))
    return KeyedVectors(vectors, WORDS)


def as_gensim(wv):
    gensim_wv = GensimKeyedVectors(wv.vector_size, count=0, dtype=np.float64)
    gensim_wv.add_vectors(wv.index_to_key, np.array(wv.vectors))
    return gensim_wv


# --- construction and lookup ------------------------------------------------------------

def test_lookup_contains_len_repr(wv):
    assert len(wv) == 12 and wv.vector_size == 5
    assert repr(wv) == "KeyedVectors(n_words=12, vector_size=5)"
    assert "gato" in wv and "dog" not in wv and 3 not in wv
    assert wv.get_index("perro") == 4 and wv.key_to_index["luna"] == 11
    np.testing.assert_array_equal(wv["gato"], wv.vectors[5])
    matrix = wv[["sol", "rey", "sol"]]
    assert matrix.shape == (3, 5)
    np.testing.assert_array_equal(matrix, wv.vectors[[10, 0, 10]])
    np.testing.assert_array_equal(wv[np.array(["sol", "rey"])], wv.vectors[[10, 0]])
    np.testing.assert_array_equal(wv.get_vector("gato"), wv["gato"])
    unit = wv.get_vector("gato", norm=True)
    np.testing.assert_allclose(unit, wv["gato"] / np.linalg.norm(wv["gato"]), rtol=1e-15)


def test_vectors_are_copied_and_read_only():
    source = np.ones((2, 3))
    wv = KeyedVectors(source, ["a", "b"])
    source[0, 0] = 5.0
    assert wv.vectors[0, 0] == 1.0 and wv.vectors.dtype == np.float64
    with pytest.raises(ValueError, match="read-only"):
        wv.vectors[0, 0] = 2.0
    returned = wv["a"]
    returned[0] = 9.0  # a copy: changing it leaves the model alone
    assert wv["a"][0] == 1.0


def test_unknown_word_is_a_key_error_naming_it(wv):
    with pytest.raises(KeyError, match="word 'dragón' is not in the vocabulary.*min_count"):
        wv["dragón"]
    with pytest.raises(KeyError, match="'Rey'.*differ only in case: 'rey'"):
        wv.similarity("Rey", "reina")
    with pytest.raises(KeyError, match="'zzz'"):
        wv[["rey", "zzz"]]
    with pytest.raises(KeyError, match="'zzz'"):
        wv.most_similar(positive=["rey"], negative=["zzz"])
    with pytest.raises(TypeError, match=r"index_to_key\[3\]"):
        wv[3]


@pytest.mark.parametrize(
    "vectors, keys, message",
    [
        (np.ones((2, 3)), ["a"], "vectors has 2 rows but index_to_key has 1 words"),
        (np.ones(3), ["a"], "vectors must be a 2-D array"),
        (np.ones((2, 3)), ["a", "a"], "word 'a' appears twice"),
        (np.ones((1, 3)), [""], "must be a non-empty str"),
        (np.ones((1, 3)), "a", "single string"),
        (np.array([[1.0, np.nan]]), ["a"], "vector of 'a' .* contains NaN"),
        (np.ones((0, 3)), [], "at least one word"),
    ],
)
def test_invalid_construction(vectors, keys, message):
    with pytest.raises((ValueError, TypeError), match=message):
        KeyedVectors(vectors, keys)


# --- similarities -----------------------------------------------------------------------

def test_similarity_is_cosine_and_matches_gensim(wv):
    gensim_wv = as_gensim(wv)
    assert wv.similarity("rey", "reina") == pytest.approx(
        cosine_similarity(wv["rey"], wv["reina"]), rel=1e-14)
    assert wv.similarity("rey", "reina") == pytest.approx(
        float(gensim_wv.similarity("rey", "reina")), rel=1e-12)
    assert wv.similarity("sol", "sol") == pytest.approx(1.0)


@pytest.mark.parametrize(
    "positive, negative",
    [("rey", None), (["reina", "hombre"], ["mujer"]), (["perro", "gato", "casa"], None),
     (None, ["luna"]), (["niño"], ["niña", "sol"])],
)
def test_most_similar_matches_gensim_and_excludes_query_words(wv, positive, negative):
    ours = wv.most_similar(positive=positive, negative=negative, topn=5)
    theirs = as_gensim(wv).most_similar(positive=positive, negative=negative, topn=5)
    assert [word for word, _ in ours] == [word for word, _ in theirs]
    # gensim rounds the query vector to float32, hence the tolerance
    np.testing.assert_allclose([s for _, s in ours], [s for _, s in theirs], atol=1e-6)
    query = {positive} if isinstance(positive, str) else set(positive or []) | set(negative or [])
    assert not query & {word for word, _ in ours}
    assert all(isinstance(s, float) for _, s in ours)


def test_most_similar_topn_larger_than_vocabulary_returns_all_others(wv):
    result = wv.most_similar("rey", topn=100)
    assert len(result) == 11
    similarities = [s for _, s in result]
    assert similarities == sorted(similarities, reverse=True)


def test_analogy_on_constructed_vectors():
    # royalty and gender as two directions: rey - hombre + mujer lands on reina
    vectors = {"rey": [1, 1, 0], "reina": [1, -1, 0], "hombre": [0, 1, 0.1],
               "mujer": [0, -1, 0.1], "perro": [0.2, 0, 1]}
    wv = KeyedVectors(np.array(list(vectors.values()), dtype=float), list(vectors))
    assert wv.most_similar(positive=["rey", "mujer"], negative=["hombre"], topn=1)[0][0] == "reina"


def test_similar_by_vector_keeps_every_word(wv):
    result = wv.similar_by_vector(wv["gato"], topn=2)
    assert result[0][0] == "gato" and result[0][1] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="non-zero"):
        wv.similar_by_vector(np.zeros(5))
    with pytest.raises(ValueError, match=r"shape \(5,\)"):
        wv.similar_by_vector(np.ones(4))


def test_most_similar_bad_queries(wv):
    with pytest.raises(ValueError, match="at least one word"):
        wv.most_similar()
    with pytest.raises(ValueError, match="at least one word"):
        wv.most_similar(positive=[], negative=[])
    with pytest.raises(ValueError, match="topn must be an integer >= 1, got 0"):
        wv.most_similar("rey", topn=0)
    with pytest.raises(ValueError, match="words cancel out"):
        wv.most_similar(positive=["rey"], negative=["rey"])
    with pytest.raises(TypeError, match="similar_by_vector"):
        wv.most_similar(positive=wv["rey"])
    small = KeyedVectors(np.eye(2), ["sí", "no"])
    with pytest.raises(ValueError, match="no candidate words left: all 2 words"):
        small.most_similar(positive=["sí", "no"])


def test_zero_vectors_are_never_neighbours_and_cannot_be_queried():
    wv = KeyedVectors(np.array([[1.0, 0.0], [0.0, 0.0], [1.0, 1.0]]), ["a", "vacío", "c"])
    assert [word for word, _ in wv.most_similar("a")] == ["c"]
    with pytest.raises(ValueError, match="vector of 'vacío' is all zeros"):
        wv.similarity("a", "vacío")
    with pytest.raises(ValueError, match="vector of 'vacío' is all zeros"):
        wv.most_similar("vacío")


def test_doesnt_match_matches_gensim(wv):
    gensim_wv = as_gensim(wv)
    for words in (["rey", "reina", "perro"], ["sol", "luna", "casa", "árbol"], WORDS):
        assert wv.doesnt_match(words) == gensim_wv.doesnt_match(words)
    with pytest.raises(ValueError, match="at least two different words"):
        wv.doesnt_match(["rey", "rey"])
    with pytest.raises(KeyError, match="'unicornio'"):
        wv.doesnt_match(["rey", "unicornio"])


# --- the other query methods of gensim 4.4, on gensim's own test vectors ---------------------

@pytest.fixture(scope="module")
def both_on_gensim_data():
    """gensim's euclidean_vectors.bin (2,747 words, 10 dimensions, float32), read by both."""
    from gensim.test.utils import datapath
    path = datapath("euclidean_vectors.bin")
    return (KeyedVectors.load_word2vec_format(path, binary=True),
            GensimKeyedVectors.load_word2vec_format(path, binary=True))


def assert_same_neighbours(ours, theirs):
    assert [word for word, _ in ours] == [word for word, _ in theirs]
    # gensim works in float32, we in float64
    np.testing.assert_allclose([s for _, s in ours], [s for _, s in theirs], rtol=1e-6)


@pytest.mark.parametrize("positive, negative", [
    (["war", "peace"], ["conflict"]), ("war", None), (["israel", "president"], ["the", "on"]),
])
def test_most_similar_cosmul_matches_gensim(both_on_gensim_data, positive, negative):
    ours, theirs = both_on_gensim_data
    assert_same_neighbours(ours.most_similar_cosmul(positive, negative, topn=10),
                           theirs.most_similar_cosmul(positive, negative, topn=10))


def test_3cosmul_and_3cosadd_can_disagree():
    # in the plane: "y" is nearest to b - a + c, but "x" is the opposite of a (cos -1),
    # which the product rewards more than the sum does
    wv = KeyedVectors([[-0.3, 0.1], [-0.8, -0.5], [0.0, -1.5], [0.3, -0.1], [-1.2, -2.4]],
                      ["a", "b", "c", "x", "y"])
    assert wv.most_similar(positive=["b", "c"], negative=["a"], topn=1)[0][0] == "y"
    assert wv.most_similar_cosmul(positive=["b", "c"], negative=["a"], topn=1)[0][0] == "x"
    with pytest.raises(ValueError, match="at least one word in positive="):
        wv.most_similar_cosmul(negative=["a"])


@pytest.mark.parametrize("method", ["most_similar", "most_similar_cosmul"])
def test_restrict_vocab_searches_only_the_first_words(both_on_gensim_data, method):
    ours, theirs = both_on_gensim_data
    got = getattr(ours, method)("war", topn=10, restrict_vocab=100)
    assert all(ours.get_index(word) < 100 for word, _ in got)
    if method == "most_similar":
        assert_same_neighbours(got, theirs.most_similar("war", topn=10, restrict_vocab=100))
    else:  # gensim 4.4 ignores the argument here: compare with its ranking cut at 100
        full = theirs.most_similar_cosmul("war", topn=len(theirs))
        assert_same_neighbours(got, [p for p in full if theirs.get_index(p[0]) < 100][:10])
    with pytest.raises(ValueError, match="restrict_vocab must be None .* got 0"):
        getattr(ours, method)("war", restrict_vocab=0)


def test_n_similarity_and_distances_match_gensim(both_on_gensim_data):
    ours, theirs = both_on_gensim_data
    for ws1, ws2 in [(["war", "conflict"], ["peace", "talks"]), (["the"], ["israel", "on"])]:
        assert ours.n_similarity(ws1, ws2) == pytest.approx(
            float(theirs.n_similarity(ws1, ws2)), rel=1e-6)
    assert ours.distance("war", "peace") == pytest.approx(
        float(theirs.distance("war", "peace")), rel=1e-6)
    np.testing.assert_allclose(ours.distances("war"), theirs.distances("war"), atol=1e-6)
    others = ["conflict", "peace", "the"]
    np.testing.assert_allclose(ours.distances("war", others),
                               theirs.distances("war", others), atol=1e-6)
    np.testing.assert_allclose(ours.distances(ours["war"], others),
                               theirs.distances(theirs["war"], others), atol=1e-6)
    with pytest.raises(ValueError, match="at least one word in ws2"):
        ours.n_similarity(["war"], [])


def test_rank_and_closer_than_match_gensim(both_on_gensim_data):
    ours, theirs = both_on_gensim_data
    for key1 in ["war", "peace", "israel", "the"]:
        for key2 in ["conflict", "talks", "palestinian", "president", "said"]:
            assert ours.closer_than(key1, key2) == theirs.closer_than(key1, key2)
            assert ours.rank(key1, key2) == theirs.rank(key1, key2)
    assert ours.rank("war", "said") > 1


def test_distances_of_a_zero_vector_are_nan_as_in_gensim():
    wv = KeyedVectors([[1.0, 0.0], [0.0, 0.0], [1.0, 1.0]], ["a", "vacío", "c"])
    distances = wv.distances("a")
    assert distances[0] == 0.0 and np.isnan(distances[1])
    assert wv.closer_than("a", "c") == [] and wv.rank("a", "c") == 1


# --- word2vec files ---------------------------------------------------------------------

@pytest.mark.parametrize("binary", [False, True], ids=["text", "binary"])
def test_save_load_round_trip_and_gensim_reads_our_files(wv, tmp_path, binary):
    path = tmp_path / ("vectors.bin" if binary else "vectors.txt")
    wv.save_word2vec_format(path, binary=binary)
    loaded = KeyedVectors.load_word2vec_format(path, binary=binary)
    assert loaded.index_to_key == wv.index_to_key
    # text keeps float64 exactly; binary stores float32, as the format prescribes
    expected = wv.vectors.astype(np.float32).astype(np.float64) if binary else wv.vectors
    np.testing.assert_array_equal(loaded.vectors, expected)

    theirs = GensimKeyedVectors.load_word2vec_format(str(path), binary=binary, datatype=np.float64)
    assert theirs.index_to_key == wv.index_to_key
    np.testing.assert_array_equal(theirs.vectors, expected)


@pytest.mark.parametrize("binary", [False, True], ids=["text", "binary"])
def test_gzip_files_round_trip_and_gensim_reads_them(wv, tmp_path, binary):
    path = tmp_path / "vectors.gz"
    wv.save_word2vec_format(path, binary=binary)
    assert path.read_bytes()[:2] == b"\x1f\x8b"
    first_bytes = path.read_bytes()
    wv.save_word2vec_format(path, binary=binary)
    assert path.read_bytes() == first_bytes  # reproducible: no timestamp inside
    loaded = KeyedVectors.load_word2vec_format(path, binary=binary)
    theirs = GensimKeyedVectors.load_word2vec_format(str(path), binary=binary, datatype=np.float64)
    np.testing.assert_array_equal(loaded.vectors, theirs.vectors)
    assert loaded.index_to_key == theirs.index_to_key == wv.index_to_key


MAGIC = {".gz": b"\x1f\x8b", ".bz2": b"BZh9", ".xz": b"\xfd7zXZ\x00"}


@pytest.mark.parametrize("suffix", [".gz", ".bz2", ".xz"])
@pytest.mark.parametrize("binary", [False, True], ids=["text", "binary"])
def test_compressed_files_move_both_ways_between_gensim_and_us(wv, tmp_path, binary, suffix):
    ours_path = tmp_path / f"ours.txt{suffix}"
    wv.save_word2vec_format(ours_path, binary=binary)
    assert ours_path.read_bytes().startswith(MAGIC[suffix])  # compressed, as gensim would
    theirs = GensimKeyedVectors.load_word2vec_format(str(ours_path), binary=binary,
                                                     datatype=np.float64)
    assert theirs.index_to_key == wv.index_to_key
    gensim_path = tmp_path / f"gensim.txt{suffix}"
    as_gensim(wv).save_word2vec_format(str(gensim_path), binary=binary)
    loaded = KeyedVectors.load_word2vec_format(gensim_path, binary=binary)
    assert loaded.index_to_key == wv.index_to_key
    np.testing.assert_allclose(loaded.vectors, wv.vectors, rtol=1e-15 if not binary else 1e-7)
    # the compression is recognised by the content, whatever the name
    renamed = tmp_path / "no_suffix"
    renamed.write_bytes(gensim_path.read_bytes())
    assert KeyedVectors.load_word2vec_format(renamed, binary=binary).index_to_key == WORDS


def test_an_unknown_compression_is_named(wv, tmp_path):
    zstd = tmp_path / "vectors.txt.zst"
    zstd.write_bytes(b"\x28\xb5\x2f\xfd" + bytes(20))
    with pytest.raises(ValueError, match="is Zstandard-compressed, which w2vlib cannot read"):
        KeyedVectors.load_word2vec_format(zstd)
    zipped = tmp_path / "vectors.bin"
    zipped.write_bytes(b"PK\x03\x04" + bytes(20))
    with pytest.raises(ValueError, match="is zip-compressed"):
        KeyedVectors.load_word2vec_format(zipped, binary=True)
    with pytest.raises(ValueError, match="vectors.txt.lz4 is LZ4-compressed.*.gz, .bz2, .xz"):
        wv.save_word2vec_format(tmp_path / "vectors.txt.lz4")
    assert not (tmp_path / "vectors.txt.lz4").exists()


def test_headerless_glove_files_both_ways_as_gensim(wv, tmp_path):
    ours_path = tmp_path / "ours.glove.txt"
    wv.save_word2vec_format(ours_path, write_header=False)
    assert ours_path.read_text(encoding="utf-8").startswith("rey ")
    theirs = GensimKeyedVectors.load_word2vec_format(str(ours_path), no_header=True,
                                                     datatype=np.float64)
    np.testing.assert_array_equal(theirs.vectors, wv.vectors)
    gensim_path = tmp_path / "gensim.glove.txt.bz2"
    as_gensim(wv).save_word2vec_format(str(gensim_path), write_header=False)
    loaded = KeyedVectors.load_word2vec_format(gensim_path, no_header=True)
    assert loaded.index_to_key == wv.index_to_key
    np.testing.assert_allclose(loaded.vectors, wv.vectors, rtol=1e-15)
    assert KeyedVectors.load_word2vec_format(gensim_path, no_header=True, limit=3).index_to_key \
        == WORDS[:3]
    with pytest.raises(ValueError, match="line 1: expected the header .* pass no_header=True"):
        KeyedVectors.load_word2vec_format(ours_path)
    wv.save_word2vec_format(ours_path)
    with pytest.raises(ValueError, match="looks like the header .* leave out no_header=True"):
        KeyedVectors.load_word2vec_format(ours_path, no_header=True)
    with pytest.raises(ValueError, match="binary word2vec files always have a header"):
        KeyedVectors.load_word2vec_format(ours_path, binary=True, no_header=True)
    with pytest.raises(ValueError, match="cannot be read back without its header"):
        wv.save_word2vec_format(ours_path, binary=True, write_header=False)


def test_assigning_vectors_updates_the_cached_unit_vectors(wv):
    # gensim's own KeyedVectors keeps stale norms after such an assignment (until
    # fill_norms(force=True)); here the setter drops them and the next query
    # recomputes them
    before = wv.most_similar("rey", topn=3)
    wv.vectors = -wv.vectors[::-1]
    assert wv.similarity("rey", "reina") == pytest.approx(
        cosine_similarity(wv["rey"], wv["reina"]), rel=1e-14)
    assert wv.most_similar("rey", topn=3) != before
    np.testing.assert_allclose(wv.get_vector("rey", norm=True),
                               wv["rey"] / np.linalg.norm(wv["rey"]))
    assert not wv.vectors.flags.writeable
    with pytest.raises(ValueError, match="vectors has 2 rows but index_to_key has 12"):
        wv.vectors = np.ones((2, 5))
    with pytest.raises(ValueError, match="NaN or infinity"):
        wv.vectors = np.full((12, 5), np.nan)


def test_unit_vectors_are_computed_at_the_first_query_and_dropped_on_assignment():
    # lazy, as gensim's fill_norms: a model that is trained and saved never holds them
    wv = KeyedVectors(np.array([[3.0, 4.0], [0.0, 0.0], [0.0, 2.0]]), ["a", "b", "c"])
    assert wv.norms is None
    np.testing.assert_array_equal(wv.get_normed_vectors(),
                                  [[0.6, 0.8], [0.0, 0.0], [0.0, 1.0]])
    np.testing.assert_array_equal(wv.norms, [5.0, 0.0, 2.0])
    assert not wv.get_normed_vectors().flags.writeable
    assert wv.get_normed_vectors() is wv.get_normed_vectors()  # cached
    wv.vectors = [[0.0, 1.0], [1.0, 0.0], [-2.0, 0.0]]
    assert wv.norms is None
    assert wv.similarity("a", "c") == 0.0
    assert wv.most_similar("b", topn=1) == [("a", 0.0)]
    np.testing.assert_array_equal(wv.norms, [1.0, 1.0, 2.0])


@pytest.mark.parametrize("binary", [False, True], ids=["text", "binary"])
def test_we_read_gensim_files(wv, tmp_path, binary):
    path = tmp_path / "gensim_vectors"
    as_gensim(wv).save_word2vec_format(str(path), binary=binary)
    loaded = KeyedVectors.load_word2vec_format(path, binary=binary)
    assert loaded.index_to_key == wv.index_to_key
    np.testing.assert_allclose(loaded.vectors, wv.vectors, rtol=1e-15 if not binary else 1e-7)


def test_text_format_layout(tmp_path):
    wv = KeyedVectors(np.array([[0.5, -1.0], [2.0, 0.1]]), ["año", "b"])
    path = tmp_path / "v.txt"
    wv.save_word2vec_format(path)
    assert path.read_text(encoding="utf-8") == "2 2\naño 0.5 -1.0\nb 2.0 0.1\n"
    wv.save_word2vec_format(path, binary=True)
    data = path.read_bytes()
    expected_first = "año ".encode() + np.array([0.5, -1.0], dtype="<f4").tobytes() + b"\n"
    assert data.startswith(b"2 2\n" + expected_first)
    assert len(data) == len(b"2 2\n") + len(expected_first) + len(b"b ") + 8 + 1


def test_save_is_atomic_and_leaves_no_temporary_file(wv, tmp_path):
    path = tmp_path / "v.txt"
    path.write_text("old content")
    wv.save_word2vec_format(path)
    assert path.read_text().startswith("12 5\n")
    assert os.listdir(tmp_path) == ["v.txt"]

    class Boom(Exception):
        pass

    class RowsThatFailHalfway:
        shape = (2, 2)

        def __iter__(self):  # the writer goes row by row
            yield np.array([1.0, 2.0])
            raise Boom("crash after the first row")

    broken = KeyedVectors(np.ones((2, 2)), ["x", "y"])
    broken._vectors = RowsThatFailHalfway()  # simulates a crash in the middle of the write
    with pytest.raises(Boom):
        broken.save_word2vec_format(path)
    assert path.read_text().startswith("12 5\n")  # the previous file is intact
    assert os.listdir(tmp_path) == ["v.txt"]


def test_save_rejects_words_with_separators(tmp_path):
    wv = KeyedVectors(np.ones((2, 2)), ["new york", "b"])
    with pytest.raises(ValueError, match="word 'new york' .* replace it"):
        wv.save_word2vec_format(tmp_path / "v.txt")
    assert not (tmp_path / "v.txt").exists()
    with pytest.raises(FileNotFoundError, match="does not exist"):
        KeyedVectors(np.ones((1, 2)), ["a"]).save_word2vec_format(tmp_path / "no" / "v.txt")


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "is empty"),
        (b"hello 0.1 0.2\n", r"line 1: expected the header '<count> <dim>'.*GloVe"),
        (b"2 3\na 1 2 3\nb 1 2\n",
         r"line 3: expected a word and 3 values .* found the word 'b' and 2"),
        (b"2 3\na 1 2 3\n\nb 1 2 3\n", r"line 3: expected a word and 3 values .* found nothing"),
        (b"3 2\na 1 2\nb 3 4\n", r"promises 3 vectors but the file ends after 2 \(line 4"),
        (b"1 2\na 1 2\nb 3 4\n", r"line 3: the header promises 1 vectors but there are more"),
        (b"2 2\na 1 2\na 3 4\n", r"line 3: word 'a' already appeared at line 2"),
        (b"1 2\na 1 x2\n", r"line 2: 'x2' is not a number"),
        (b"2 2\na 1 2\n\xff\xfeb 3 4\n", r"line 3: byte 0xff at position 0 is not valid UTF-8"),
    ],
    ids=["empty", "no-header", "short-row", "blank-row", "truncated", "extra-rows",
         "duplicate", "not-a-number", "not-utf8"],
)
def test_malformed_text_files(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=message):
        KeyedVectors.load_word2vec_format(path)


def test_malformed_binary_files(wv, tmp_path):
    path = tmp_path / "v.bin"
    wv.save_word2vec_format(path, binary=True)
    good = path.read_bytes()

    path.write_bytes(good[:-10])
    with pytest.raises(ValueError, match="promises 12 vectors but the file ends inside or before "
                                         "vector 12.*truncated"):
        KeyedVectors.load_word2vec_format(path, binary=True)

    path.write_bytes(good.replace("árbol".encode(), b"\xe1rbol", 1))
    with pytest.raises(ValueError, match="vector 8 .* not valid UTF-8"):
        KeyedVectors.load_word2vec_format(path, binary=True)

    path.write_bytes(good + b"extra 1 2 3\n")
    with pytest.raises(ValueError, match="bytes remain after the 12 vectors"):
        KeyedVectors.load_word2vec_format(path, binary=True)


# --- whatever loads can be saved back ----------------------------------------------------

# Characters a word could hold, each tried at the start, middle and end of a word: whitespace
# of every kind, a byte-order mark, a NUL, and a non-ASCII letter.
TRICKY = [" ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\xa0", "\u2028", "\ufeff",
          "\x00", "ñ"]


def raw_word2vec_file(binary, word):
    """The bytes a writer that checks nothing would produce for the words ``word`` and "b"."""
    rows = np.array([[0.5, -1.0], [2.0, 0.25]])
    entries = []
    for w, row in zip([word, "b"], rows):
        if binary:
            entries.append(w.encode() + b" " + row.astype("<f4").tobytes() + b"\n")
        else:
            entries.append(f"{w} {' '.join(map(repr, row.tolist()))}\n".encode())
    return b"2 2\n" + b"".join(entries)


@pytest.mark.parametrize("binary", [False, True], ids=["text", "binary"])
def test_every_file_the_loader_accepts_saves_back_identically(tmp_path, binary):
    """The saver refuses exactly the words the loader would not read back: a file the loader
    accepts always saves and reloads to the same words and vectors, and a refused word, written
    without the check, does not load back as itself."""
    path, saved = tmp_path / "raw", tmp_path / "saved"
    accepted = 0
    for character in TRICKY:
        for word in (character + "w", "w" + character + "w", "w" + character):
            path.write_bytes(raw_word2vec_file(binary, word))
            try:
                loaded = KeyedVectors.load_word2vec_format(path, binary=binary)
            except ValueError:
                loaded = None
            candidate = KeyedVectors(np.array([[0.5, -1.0], [2.0, 0.25]]), [word, "b"])
            try:
                candidate.save_word2vec_format(saved, binary=binary)
            except ValueError:
                assert loaded is None or loaded.index_to_key[0] != word, repr(word)
                continue
            assert loaded is not None and loaded.index_to_key[0] == word, repr(word)
            accepted += 1
            loaded.save_word2vec_format(saved, binary=binary)
            again = KeyedVectors.load_word2vec_format(saved, binary=binary)
            assert again.index_to_key == loaded.index_to_key
            np.testing.assert_array_equal(again.vectors, loaded.vectors)
    # all but the space (and the newline: text anywhere, binary first)
    assert accepted == 3 * len(TRICKY) - 3 - (3 if not binary else 1)


def test_a_tab_inside_a_binary_word_loads_and_saves_as_gensim(tmp_path):
    path = tmp_path / "tab.bin"
    path.write_bytes(raw_word2vec_file(True, "a\tb"))
    loaded = KeyedVectors.load_word2vec_format(path, binary=True)
    assert loaded.index_to_key == ["a\tb", "b"]
    loaded.save_word2vec_format(tmp_path / "again.bin", binary=True)
    assert (tmp_path / "again.bin").read_bytes() == path.read_bytes()
    theirs = GensimKeyedVectors.load_word2vec_format(str(path), binary=True)
    assert theirs.index_to_key == loaded.index_to_key


def test_save_refuses_words_utf8_cannot_encode(tmp_path):
    wv = KeyedVectors(np.ones((1, 2)), ["a\udcc3"])  # e.g. decoded with "surrogateescape"
    with pytest.raises(ValueError, match=r"word 'a\\udcc3' \(index 0\) has the unpaired "
                                         r"surrogate"):
        wv.save_word2vec_format(tmp_path / "v.txt")
    assert not (tmp_path / "v.txt").exists()


# --- unicode_errors and limit, as gensim's ------------------------------------------------

CUT_WORDS_FILE = Path(__file__).parent / "data" / "word2vec_c_cut_words.bin"


def test_word2vec_c_file_with_words_cut_inside_a_character_needs_unicode_errors():
    with pytest.raises(ValueError, match=r"vector 13 .*byte 0xc3 at position 97 is not valid "
                                         r"UTF-8.*pass unicode_errors='ignore' or 'replace'"):
        KeyedVectors.load_word2vec_format(CUT_WORDS_FILE, binary=True)
    with pytest.raises(UnicodeDecodeError):  # gensim fails too, with a bare decoding error
        GensimKeyedVectors.load_word2vec_format(str(CUT_WORDS_FILE), binary=True)


def test_word2vec_c_file_with_cut_words_loads_with_replace_as_in_gensim():
    ours = KeyedVectors.load_word2vec_format(CUT_WORDS_FILE, binary=True,
                                             unicode_errors="replace")
    theirs = GensimKeyedVectors.load_word2vec_format(str(CUT_WORDS_FILE), binary=True,
                                                     unicode_errors="replace")
    assert ours.index_to_key == theirs.index_to_key
    np.testing.assert_array_equal(ours.vectors, theirs.vectors)
    assert len(ours) == 14
    assert "a" + "ñ" * 48 + "\ufffd" in ours and "x" + "€" * 32 + "\ufffd" in ours
    assert "ñ" * 49 in ours  # cut between two characters: valid as it is


def test_word2vec_c_file_with_cut_words_loads_with_ignore_as_in_gensim():
    """With "ignore" the cut "a" + 48 "ñ" + 0xc3 becomes "a" + 48 "ñ", a word of its own
    earlier in the file. gensim keeps the first and drops the repeat (but gensim 4.4 then
    leaves an extra None key with a zero vector at the end, which is not copied)."""
    with pytest.warns(UserWarning, match=r"1 word\(s\) equal an earlier word once decoded with "
                                         r"unicode_errors='ignore'.*of vector 13 \(as vector 8\)"):
        ours = KeyedVectors.load_word2vec_format(CUT_WORDS_FILE, binary=True,
                                                 unicode_errors="ignore")
    theirs = GensimKeyedVectors.load_word2vec_format(str(CUT_WORDS_FILE), binary=True,
                                                     unicode_errors="ignore")
    assert theirs.index_to_key[-1] is None and len(theirs) == 14
    assert ours.index_to_key == theirs.index_to_key[:-1]
    np.testing.assert_array_equal(ours.vectors, theirs.vectors[:-1])
    assert len(ours) == 13 and "x" + "€" * 32 in ours


@pytest.mark.parametrize("binary", [False, True], ids=["text", "binary"])
@pytest.mark.parametrize("limit", [1, 5, 12, 100])
def test_limit_reads_the_first_vectors_as_gensim(wv, tmp_path, binary, limit):
    path = tmp_path / "v"
    wv.save_word2vec_format(path, binary=binary)
    ours = KeyedVectors.load_word2vec_format(path, binary=binary, limit=limit)
    theirs = GensimKeyedVectors.load_word2vec_format(str(path), binary=binary, limit=limit,
                                                     datatype=np.float64)
    assert ours.index_to_key == theirs.index_to_key == WORDS[:limit]
    np.testing.assert_array_equal(ours.vectors, theirs.vectors)


@pytest.mark.parametrize("binary", [False, True], ids=["text", "binary"])
def test_limit_does_not_read_past_the_limit(wv, tmp_path, binary):
    path = tmp_path / "v"
    wv.save_word2vec_format(path, binary=binary)
    data = path.read_bytes()
    # the 12th row damaged: not read with limit=11
    cut = data.rindex("luna".encode())
    path.write_bytes(data[:cut] + b"\xff broken")
    assert KeyedVectors.load_word2vec_format(path, binary=binary, limit=11).index_to_key \
        == WORDS[:11]
    with pytest.raises(ValueError):
        KeyedVectors.load_word2vec_format(path, binary=binary)


@pytest.mark.parametrize(
    "keywords, message",
    [
        ({"unicode_errors": "backslashreplace"},
         "unicode_errors must be one of 'strict', 'ignore', 'replace', got 'backslashreplace'"),
        ({"limit": 0}, r"limit must be None \(read every vector\) or an integer >= 1, got 0"),
        ({"limit": 2.5}, "got 2.5"),
        ({"limit": True}, "got True"),
    ],
)
def test_unicode_errors_and_limit_are_checked(wv, tmp_path, keywords, message):
    path = tmp_path / "v.txt"
    wv.save_word2vec_format(path)
    with pytest.raises(ValueError, match=message):
        KeyedVectors.load_word2vec_format(path, **keywords)


# --- the wrong format ------------------------------------------------------------------

def ascii_float_binary(path):
    """A binary file whose float bytes are printable ASCII, so it decodes as UTF-8 text and
    only the number of fields on a line betrays it."""
    rows = np.frombuffer(b"abcdABCDefghEFGH", dtype="<f4").reshape(2, 2)
    path.write_bytes(b"2 2\n" + b"x " + rows[0].tobytes() + b"\ny " + rows[1].tobytes() + b"\n")
    return path


def test_binary_file_read_as_text_is_recognised(wv, tmp_path):
    path = tmp_path / "v.bin"
    wv.save_word2vec_format(path, binary=True)
    for binary_file in (path, ascii_float_binary(tmp_path / "ascii.bin")):
        with pytest.raises(ValueError, match=r"is in the binary word2vec format, not the text "
                                             r"one; pass binary=True") as error:
            KeyedVectors.load_word2vec_format(binary_file)
        assert "no spaces" not in str(error.value) and "UTF-8" not in str(error.value)
    assert KeyedVectors.load_word2vec_format(tmp_path / "ascii.bin", binary=True).index_to_key \
        == ["x", "y"]


def test_text_file_read_as_binary_is_recognised(wv, tmp_path):
    path = tmp_path / "v.txt"
    wv.save_word2vec_format(path)
    with pytest.raises(ValueError, match=r"is in the text word2vec format, not the binary one; "
                                         r"pass binary=False"):
        KeyedVectors.load_word2vec_format(path, binary=True)


def test_a_file_in_neither_format_keeps_its_own_error(wv, tmp_path):
    path = tmp_path / "v.bin"
    wv.save_word2vec_format(path, binary=True)
    path.write_bytes(path.read_bytes() + b"extra 1 2 3\n")
    with pytest.raises(ValueError, match="bytes remain after the 12 vectors"):
        KeyedVectors.load_word2vec_format(path, binary=True)
    with pytest.raises(ValueError, match="line 2: byte 0x.. at position . is not valid UTF-8"):
        KeyedVectors.load_word2vec_format(path)


def test_binary_reader_accepts_vectors_without_trailing_newline(tmp_path):
    rows = np.array([[1.5, -2.0], [0.25, 4.0]], dtype="<f4")
    path = tmp_path / "v.bin"
    path.write_bytes(b"2 2\n" + b"a " + rows[0].tobytes() + b"b " + rows[1].tobytes())
    loaded = KeyedVectors.load_word2vec_format(path, binary=True)
    assert loaded.index_to_key == ["a", "b"]
    np.testing.assert_array_equal(loaded.vectors, rows)


# --- projector --------------------------------------------------------------------------

def test_projector_tsv(tmp_path):
    wv = KeyedVectors(np.array([[0.5, -1.0], [2.0, 0.1]]), ["año", "b"])
    vectors_path, metadata_path = tmp_path / "vectors.tsv", tmp_path / "metadata.tsv"
    wv.save_projector_tsv(vectors_path, metadata_path)
    assert vectors_path.read_text() == "0.5\t-1.0\n2.0\t0.1\n"
    assert metadata_path.read_text(encoding="utf-8") == "año\nb\n"
    np.testing.assert_array_equal(np.loadtxt(vectors_path, delimiter="\t"), wv.vectors)
    with pytest.raises(ValueError, match=r"contains .\\t., which the projector.s TSV files"):
        KeyedVectors(np.ones((1, 2)), ["a\tb"]).save_projector_tsv(vectors_path, metadata_path)


def test_the_docstring_examples_run():
    import doctest

    import w2vlib.keyedvectors
    assert doctest.testmod(w2vlib.keyedvectors).failed == 0
