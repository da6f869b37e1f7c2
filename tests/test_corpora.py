"""Tests for w2vlib.corpora: tokenizer, Shakespeare parsing, sentence files."""

import os
import stat

import pytest

from w2vlib.corpora import (
    play_sentences,
    read_sentences,
    shakespeare_play_names,
    shakespeare_sentences,
    tokenize,
    write_sentences,
)


def count_sequence(sentences, sequence):
    """How many times ``sequence`` occurs as consecutive tokens inside one sentence."""
    n = len(sequence)
    return sum(
        sentence[i : i + n] == sequence
        for sentence in sentences
        for i in range(len(sentence) - n + 1)
    )


# --- tokenize ---------------------------------------------------------------------------


def test_tokenize_lower_cases_and_drops_punctuation():
    assert tokenize("Long live the King! Who's there?") == [
        "long", "live", "the", "king", "who's", "there"
    ]


def test_tokenize_keeps_apostrophes_inside_words():
    assert tokenize("O'er the hill I'll know'st ne'er") == [
        "o'er", "the", "hill", "i'll", "know'st", "ne'er"
    ]


def test_tokenize_keeps_elided_words_and_drops_quotation_marks():
    assert tokenize("'Tis bitter cold, i' the night; 'Wonder of nature,' th' earth") == [
        "'tis", "bitter", "cold", "i'", "the", "night", "wonder", "of", "nature", "th'", "earth"
    ]
    assert tokenize("the soldiers' swords") == ["the", "soldiers", "swords"]
    assert tokenize("\u2019Tis o\u2019er") == ["'tis", "o'er"]


def test_tokenize_hyphens_join_words_and_dashes_split_them():
    assert tokenize("to-night the wall--and then --thus") == [
        "to-night", "the", "wall", "and", "then", "thus"
    ]


def test_tokenize_keeps_spanish_accented_letters():
    assert tokenize("¿Dónde está el PINGÜINO? ¡Ñandú, acción, útil, Íñigo!") == [
        "dónde", "está", "el", "pingüino", "ñandú", "acción", "útil", "íñigo"
    ]


def test_tokenize_rejects_non_strings():
    with pytest.raises(TypeError, match="expects a str"):
        tokenize(["a", "list"])


# --- play_sentences on a hand-written fragment with every markup rule -------------------

FRAGMENT = """# A Play

## ACT I

### SCENE I. A long setting that the source
wraps onto a second line.

_Enter KENT and a very long stage direction
that wraps_

**KENT**  
Who goes there? Stand, and speak.  
_\\[Aside]_  
Twice being _\\[by the people chosen]_ he

**EARL OF GLOUCESTER**  
'Tis I, o'er the hill!

SONG.

_Exeunt_
"""


def test_play_sentences_applies_the_markup_rules():
    assert play_sentences(FRAGMENT) == [
        ["who", "goes", "there"],
        ["stand", "and", "speak"],
        ["twice", "being", "by", "the", "people", "chosen", "he"],
        ["'tis", "i", "o'er", "the", "hill"],
    ]


# --- the real corpus --------------------------------------------------------------------


def test_play_names():
    names = shakespeare_play_names()
    assert len(names) == 38
    assert names == sorted(names)
    assert {"hamlet", "macbeth", "the-tempest", "henry-viii"} <= set(names)


def test_hamlet_opening_is_the_dialogue_only():
    hamlet = shakespeare_sentences("hamlet")
    # "**BERNARDO**  Who's there?" / "**FRANCISCO**  Nay, answer me: ..." / ... "Bernardo?"
    assert hamlet[:6] == [
        ["who's", "there"],
        ["nay", "answer", "me", "stand", "and", "unfold", "yourself"],
        ["long", "live", "the", "king"],
        ["bernardo"],
        ["he"],
        ["you", "come", "most", "carefully", "upon", "your", "hour"],
    ]


def test_hamlet_has_no_speaker_names_or_stage_directions():
    hamlet = shakespeare_sentences("hamlet")
    # Speaker tags used 100+ times in the source, never said in the dialogue.
    assert count_sequence(hamlet, ["king", "claudius"]) == 0
    assert count_sequence(hamlet, ["queen", "gertrude"]) == 0
    assert count_sequence(hamlet, ["lord", "polonius"]) == 0
    # Stage directions "_FRANCISCO at his post. Enter to him BERNARDO_", "_Enter Ghost_",
    # "_Exeunt_", "_Exit_" and about twenty "_\[Aside]_".
    assert count_sequence(hamlet, ["at", "his", "post"]) == 0
    assert count_sequence(hamlet, ["enter", "ghost"]) == 0
    assert count_sequence(hamlet, ["exeunt"]) == 0
    assert count_sequence(hamlet, ["exit"]) == 0
    # The one spoken "aside": "But soft! but soft! aside: here comes the king."
    assert count_sequence(hamlet, ["aside"]) == 1
    assert count_sequence(hamlet, ["aside", "here", "comes", "the", "king"]) == 1


def test_henry_viii_prologue_without_a_speaker_is_kept():
    henry = shakespeare_sentences("henry-viii")
    assert henry[0][:8] == ["i", "come", "no", "more", "to", "make", "you", "laugh"]


def test_apostrophes_survive_in_the_real_corpus():
    hamlet = shakespeare_sentences("hamlet")
    assert count_sequence(hamlet, ["'tis"]) > 50
    assert count_sequence(hamlet, ["o'er"]) > 5
    assert count_sequence(hamlet, ["i'", "the"]) > 5
    # "'Tis now struck twelve; get thee to bed, Francisco."
    assert count_sequence(hamlet, ["'tis", "now", "struck", "twelve"]) == 1


def test_full_corpus_size_and_cleanliness():
    sentences = shakespeare_sentences()
    tokens = [token for sentence in sentences for token in sentence]
    # Measured: 55,763 sentences and 831,371 tokens (module docstring).
    assert 50_000 < len(sentences) < 60_000
    assert 800_000 < len(tokens) < 900_000
    assert all(sentences)
    vocabulary = set(tokens)
    assert 25_000 < len(vocabulary) < 30_000
    assert all(token == token.lower() and token.strip("'-") for token in vocabulary)
    assert not any(char in token for token in vocabulary for char in "_*[]\\#.,;:!?\"")
    assert "exeunt" not in vocabulary


def test_parse_is_cached_and_callers_get_independent_copies():
    first = shakespeare_sentences("macbeth")
    first[0].append("changed")
    first.append(["extra"])
    second = shakespeare_sentences("macbeth")
    assert "changed" not in second[0]
    assert second[-1] != ["extra"]
    assert second is not first


def test_unknown_play_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown play 'hamlett'.*shakespeare_play_names"):
        shakespeare_sentences(["hamlet", "hamlett"])
    with pytest.raises(ValueError, match="plays is empty"):
        shakespeare_sentences([])


# --- sentence files ---------------------------------------------------------------------


def test_write_read_round_trip(tmp_path):
    sentences = [["el", "niño", "bebe", "leche"], ["'tis", "o'er"], ["pingüino"]]
    path = write_sentences(sentences, tmp_path / "corpus.txt")
    assert path.read_bytes() == "el niño bebe leche\n'tis o'er\npingüino\n".encode("utf-8")
    assert read_sentences(path) == sentences
    assert os.listdir(tmp_path) == ["corpus.txt"]  # no temporary file left behind


def test_write_sentences_rejects_bad_tokens_and_leaves_the_old_file(tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_text("old content\n", encoding="utf-8")
    with pytest.raises(ValueError, match="sentence 1 has the token 'two words'"):
        write_sentences([["fine"], ["two words"]], path)
    with pytest.raises(TypeError, match="sentence 0 is a str"):
        write_sentences(["not a list"], path)
    assert path.read_text(encoding="utf-8") == "old content\n"
    assert os.listdir(tmp_path) == ["corpus.txt"]


def test_read_sentences_skips_blank_lines_and_a_byte_order_mark(tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_bytes(b"\xef\xbb\xbfa  b\tc\n\n   \nd\r\n")
    assert read_sentences(path) == [["a", "b", "c"], ["d"]]


def test_read_sentences_not_utf8(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("el niño\n".encode("latin-1"))
    with pytest.raises(ValueError) as error:
        read_sentences(path)
    assert str(error.value) == (
        f"{path} is not UTF-8 (byte 0xf1 at offset 5); re-save it as UTF-8"
    )


def test_read_sentences_not_utf8_offset_counts_the_byte_order_mark(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_bytes(b"\xef\xbb\xbfab\xff")
    with pytest.raises(ValueError, match=r"byte 0xff at offset 5\)"):
        read_sentences(path)


def test_read_sentences_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.txt: no such file"):
        read_sentences(tmp_path / "missing.txt")


@pytest.mark.parametrize("content", [b"", b"\n  \n\t\n"])
def test_read_sentences_empty_file(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="contains no words"):
        read_sentences(path)


def test_written_corpus_file_is_readable_by_others(tmp_path):
    """The temporary file behind the atomic write is private; the final file must not be."""
    path = write_sentences([["a", "b"]], tmp_path / "corpus.txt")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


# every character str.splitlines() breaks at, apart from "\n" (and "\r", which word2vec.c
# and gensim leave to the tokenizer as well)
OTHER_LINE_BREAKS = ["\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("separator", OTHER_LINE_BREAKS, ids=[hex(ord(c)) for c in
                                                                OTHER_LINE_BREAKS])
def test_a_sentence_ends_only_at_a_newline_as_in_gensim_line_sentence(tmp_path, separator):
    from gensim.models.word2vec import LineSentence
    path = tmp_path / "corpus.txt"
    path.write_bytes(f"a b{separator}c d\ne f\n".encode("utf-8"))
    # gensim's LineSentence (as word2vec.c) gives two sentences, the first of four words
    assert read_sentences(path) == [["a", "b", "c", "d"], ["e", "f"]]
    assert read_sentences(path) == [list(sentence) for sentence in LineSentence(str(path))]


@pytest.mark.parametrize("suffix", [".gz", ".bz2", ".xz"])
def test_read_sentences_reads_compressed_files_as_line_sentence_does(tmp_path, suffix):
    from gensim.models.word2vec import LineSentence
    path = tmp_path / f"corpus.txt{suffix}"
    write_sentences([["a", "b"], ["c"]], path)
    assert path.read_bytes()[:2] != b"a "  # compressed
    assert read_sentences(path) == [["a", "b"], ["c"]]
    assert [list(s) for s in LineSentence(str(path))] == [["a", "b"], ["c"]]
