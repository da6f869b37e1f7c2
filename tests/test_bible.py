"""Tests for w2vlib.bible and tools/extract_bible.py: the shipped Bible corpora.

The data tests read the shipped package data. ``test_extraction_reproduces_shipped_data``
re-runs the extraction with Debian's diatheke (about 13 s of processor time, 40 s on the
shared machine); without diatheke and the two SWORD modules it is skipped and says why.
"""

import gzip
import importlib.util
import math
import shutil
import subprocess
import sys
import unicodedata
from collections import defaultdict
from importlib import resources
from pathlib import Path

import pytest

import w2vlib
from w2vlib.bible import (
    bible_verses,
    misaligned_chapters,
    parallel_verses,
    reina_valera_sentences,
    tokenize_bible,
    world_english_bible_sentences,
)

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tools" / "extract_bible.py"
DATA = resources.files("w2vlib").joinpath("data")
SWORD_CONFS = Path("/usr/share/sword/mods.d")


def load_script():
    spec = importlib.util.spec_from_file_location("extract_bible", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def verse(language, reference):
    return dict(bible_verses(language))[reference]


# --- tokenizer on real lines --------------------------------------------------------------


def test_tokenize_spanish_keeps_accents_enye_dieresis_and_archaic_spelling():
    # Rom 1:16 and Gen 1:3 as the RV 1909 has them: ü, the accented "á" preposition, "fué".
    assert tokenize_bible(verse("es", "Rom.1.16"))[:6] == [
        "porque", "no", "me", "avergüenzo", "del", "evangelio"
    ]
    assert tokenize_bible("Y dijo Dios: Sea la luz: y fué la luz.") == [
        "y", "dijo", "dios", "sea", "la", "luz", "y", "fué", "la", "luz"
    ]
    assert tokenize_bible(verse("es", "Gen.5.3"))[8:14] == [
        "engendró", "un", "hijo", "á", "su", "semejanza"
    ]


def test_tokenize_spanish_strips_inverted_marks_and_keeps_hyphenated_names():
    line = verse("es", "1Kgs.20.33")  # ¡Tu hermano Ben-adad! ... á Achâb
    tokens = tokenize_bible(line)
    assert "¡" in line and "¡tu" not in tokens and "tu" in tokens
    assert tokens.count("ben-adad") == 2 and "achâb" in tokens
    assert tokenize_bible(verse("es", "Job.38.4"))[:3] == ["dónde", "estabas", "cuando"]
    assert tokenize_bible("«¿Quién?» —dijo ÉL; ¡Ñandú!") == ["quién", "dijo", "él", "ñandú"]


def test_tokenize_english_apostrophes_hyphens_and_capitals():
    assert tokenize_bible(verse("en", "Gen.1.2"))[-11:-8] == ["and", "god's", "spirit"]
    assert tokenize_bible(verse("en", "Gen.6.18"))[-5:] == ["your", "sons", "wives", "with", "you"]
    assert tokenize_bible(verse("en", "Gen.4.24"))[-2:] == ["seventy-seven", "times"]
    assert tokenize_bible(verse("en", "Rev.19.16"))[-7:] == [
        "king", "of", "kings", "and", "lord", "of", "lords"
    ]
    assert tokenize_bible("‘Yes,’ he said—“don’t!”") == ["yes", "he", "said", "don't"]


def test_tokenize_drops_numbers_and_normalises_decomposed_accents():
    assert tokenize_bible("Gen 1:1 2 fue\u0301 3a") == ["gen", "fué", "a"]
    assert tokenize_bible("fue\u0301") == tokenize_bible("fu\u00e9")


def test_tokenize_rejects_non_strings():
    with pytest.raises(TypeError, match="expects a str"):
        tokenize_bible(["a", "list"])


# --- the shipped data ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, verses, first, last",
    [
        ("es", 31084, "EN el principio crió Dios los cielos y la tierra.",
         "La gracia de nuestro Señor Jesucristo sea con todos vosotros. Amén."),
        ("en", 31095, "In the beginning, God created the heavens and the earth.",
         "The grace of the Lord Jesus Christ be with all the saints. Amen."),
    ],
)
def test_data_has_every_verse_of_the_66_books_and_nothing_after(language, verses, first, last):
    table = bible_verses(language)
    assert len(table) == verses
    assert table[0] == ("Gen.1.1", first)
    assert table[-1] == ("Rev.22.21", last)  # the WEB glossary after it is not a verse
    books = list(dict.fromkeys(reference.split(".")[0] for reference, _ in table))
    assert books == [osis for osis, _ in load_script().BOOKS] and len(books) == 66
    assert len({reference for reference, _ in table}) == verses


@pytest.mark.parametrize("language", ["es", "en"])
def test_data_text_is_clean(language):
    for reference, text in bible_verses(language):
        assert text and text == text.strip() and "  " not in text, reference
        assert not set(text) & set("<>\t\n&"), (reference, text)
        assert unicodedata.is_normalized("NFC", text), reference


def test_words_the_markup_ran_together_are_apart():
    # diatheke's plain export gives "Godcreated", "Christ,which", "hay allítambiénbdelio".
    assert verse("en", "Rev.1.1").startswith("This is the Revelation of Jesus Christ, which")
    assert "hay allí también bdelio" in verse("es", "Gen.2.12")
    assert "Abram de allí, caminando" in verse("es", "Gen.12.9")
    english = {token for sentence in world_english_bible_sentences() for token in sentence}
    spanish = {token for sentence in reina_valera_sentences() for token in sentence}
    assert not {"godcreated", "yahwehgod", "christ,which"} & english
    assert not {"allítambién", "tambiénbdelio", "abramde", "quela"} & spanish


def test_supplied_enclitic_pronouns_stay_on_their_verb():
    assert verse("es", "Job.38.4").startswith("¿Dónde estabas cuando yo fundaba la tierra? házmelo")
    assert verse("es", "Ps.107.2").startswith("Díganlo los redimidos")
    assert "Y el ejército fuéle entregado" in verse("es", "Dan.8.12")


def test_psalm_titles_are_kept_and_speaker_labels_dropped():
    assert verse("en", "Ps.3.1").startswith("A Psalm by David, when he fled from Absalom his son. Yahweh")
    assert verse("es", "Ps.3.1").startswith("Salmo de David, cuando huía de delante de Absalom")
    assert verse("en", "Song.1.2").startswith("Let him kiss me")  # no "Beloved" label


@pytest.mark.parametrize(
    "load, sentences, tokens",
    [(reina_valera_sentences, 31084, 703634), (world_english_bible_sentences, 31095, 750204)],
)
def test_sentences_are_verses_and_each_call_returns_new_lists(load, sentences, tokens):
    corpus = load()
    assert len(corpus) == sentences
    assert sum(map(len, corpus)) == tokens
    assert all(token == token.lower() and " " not in token for s in corpus for token in s)
    corpus[0].append("changed")
    corpus.pop()
    again = load()
    assert len(again) == sentences and again[0][-1] != "changed"


def test_bible_verses_names_the_languages_for_an_unknown_one():
    with pytest.raises(ValueError, match=r"unknown language 'fr'.*'es'.*'en'"):
        bible_verses("fr")


def test_loaders_are_exported_from_the_package():
    assert w2vlib.reina_valera_sentences is reina_valera_sentences
    assert w2vlib.world_english_bible_sentences is world_english_bible_sentences
    assert w2vlib.parallel_verses is parallel_verses


# --- verse alignment ----------------------------------------------------------------------


def test_parallel_verses_pairs_by_reference_outside_misaligned_chapters():
    pairs = parallel_verses()
    assert len(pairs) == 30485
    reference, es, en = pairs[0]
    assert reference == "Gen.1.1" and es[:3] == ["en", "el", "principio"] and en[:2] == ["in", "the"]
    references = [reference for reference, _, _ in pairs]
    assert "Luke.17.35" in references and "Luke.17.36" not in references  # empty in the WEB
    assert not any(reference.startswith(("Jonah.2.", "Num.13.")) for reference in references)
    spanish = {reference for reference, _ in bible_verses("es")}
    english = {reference for reference, _ in bible_verses("en")}
    assert (len(spanish) - len(pairs), len(english) - len(pairs)) == (599, 610)
    pairs[0][1].append("changed")
    assert parallel_verses()[0][1][-1] != "changed"


def test_misaligned_chapters_are_those_at_a_missing_last_verse():
    chapters = misaligned_chapters()
    assert len(chapters) == 24
    assert {("Jonah", 1), ("Jonah", 2), ("Num", 12), ("Num", 13), ("Hos", 12)} <= set(chapters)
    # Jonah 1:17 (English) is Jonah 2:1 in the Spanish numbering.
    assert "Jonah.1.17" not in dict(bible_verses("es"))
    assert verse("es", "Jonah.2.1").startswith("MAS Jehová había prevenido un gran pez")


def shifted_chapters(pairs):
    """Chapters whose verse lengths match better when shifted by one verse than as paired.

    For each chapter of five or more pairs, the mean |log(len(es) / len(en))| in characters
    over the pairs as given, against the same with the Spanish verse one before or after; a
    chapter is shifted when a shift is better by more than 0.05 (measured margins: at most
    0.03 in kept chapters, 0.12 to 0.36 in those the Spanish numbering shifts).
    """
    spanish, english = dict(bible_verses("es")), dict(bible_verses("en"))
    chapters = defaultdict(list)
    for reference in pairs:
        book, chapter, number = reference.split(".")
        chapters[book, chapter].append(int(number))
    shifted = []
    for (book, chapter), numbers in chapters.items():
        def score(offset):
            ratios = [
                abs(math.log(len(spanish[es]) / len(english[f"{book}.{chapter}.{n}"])))
                for n in numbers
                if (es := f"{book}.{chapter}.{n + offset}") in spanish
            ]
            return sum(ratios) / len(ratios) if ratios else math.inf
        if len(numbers) >= 5 and min(score(-1), score(1)) < score(0) - 0.05:
            shifted.append((book, int(chapter)))
    return shifted


def test_no_kept_chapter_is_shifted_by_a_verse():
    assert shifted_chapters([reference for reference, _, _ in parallel_verses()]) == []


def test_the_shift_check_finds_the_chapters_left_out_when_pairing_naively():
    # Doctored input: every reference both modules have, with no chapter left out.
    naive = sorted(
        set(dict(bible_verses("es"))) & set(dict(bible_verses("en")))
    )
    found = set(shifted_chapters(naive))
    assert found == {("Num", 13), ("Num", 30), ("1Sam", 24), ("2Chr", 33), ("Job", 39),
                     ("Hos", 12), ("Jonah", 2)}
    assert found <= set(misaligned_chapters())


# --- the extraction -----------------------------------------------------------------------


def test_osis_cleaning_rules_on_module_markup():
    script = load_script()
    clean = script.osis_to_text
    assert clean('<w savlm="strong:G5547">Christ</w>,<w>which</w> God') == "Christ, which God"
    assert clean('<w>God</w>.<milestone type="line"/>') == "God."
    assert clean("¿<w>Dónde</w> <w>estabas</w>?") == "¿Dónde estabas?"
    assert clean('“<w>Yes</w>,” <q marker="">‘<w>no</w>’</q>') == "“Yes,” ‘no’"
    assert clean('<w>hay allí</w><transChange type="added">también</transChange><w>bdelio</w>') \
        == "hay allí también bdelio"
    assert clean('házme<transChange type="added">lo</transChange> saber') == "házmelo saber"
    assert clean('<w>Jehová</w><transChange type="added">los</transChange><w>acose</w>') \
        == "Jehová los acose"
    assert clean('<speaker>Beloved</speaker>Let him kiss me') == "Let him kiss me"
    assert clean('<w>God</w><note type="x-footnote">Hebrew: Elohim</note><w>created</w>') \
        == "God created"
    assert clean('<title type="x-heading">Heading</title>Text') == "Text"
    assert clean('<title canonical="true" type="psalm">A Psalm.</title> Text') == "A Psalm. Text"
    assert clean('Amen. <div canonical="true" eID="x" type="book"/> Glossary text') == "Amen."
    assert clean('a &amp; b') == "a & b"


def sword_modules_missing():
    if shutil.which("diatheke") is None:
        return "diatheke is not installed (apt-get install diatheke)"
    for module, package in [("spaRV1909eb", "sword-text-sparv"), ("engWEB2015eb", "sword-text-web")]:
        if not (SWORD_CONFS / f"{module}.conf").exists():
            return f"SWORD module {module} is not installed (apt-get install {package})"
    return None


@pytest.mark.skipif(sword_modules_missing() is not None, reason=str(sword_modules_missing()))
def test_extraction_reproduces_shipped_data(tmp_path):
    subprocess.run([sys.executable, str(SCRIPT), "--output", str(tmp_path)], check=True,
                   capture_output=True)
    shipped_provenance = DATA.joinpath("bible_PROVENANCE.txt").read_text(encoding="utf-8")
    for stem, *_ in load_script().MODULES:
        regenerated = gzip.decompress((tmp_path / f"{stem}.tsv.gz").read_bytes())
        shipped = gzip.decompress(DATA.joinpath(f"{stem}.tsv.gz").read_bytes())
        if regenerated != shipped:
            new, old = regenerated.decode().splitlines(), shipped.decode().splitlines()
            first = next((i for i, (n, o) in enumerate(zip(new, old)) if n != o), len(old))
            pytest.fail(f"{stem} differs from the shipped data ({len(new)} lines against "
                        f"{len(old)}); first difference at line {first + 1}:\n"
                        f"  regenerated {new[first] if first < len(new) else None!r}\n"
                        f"  shipped     {old[first] if first < len(old) else None!r}")
    # Module and package versions are in the provenance file: a new Debian package shows here.
    assert (tmp_path / "bible_PROVENANCE.txt").read_text(encoding="utf-8") == shipped_provenance
