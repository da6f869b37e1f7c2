"""Regenerate w2vlib's Bible data from Debian's SWORD modules with ``diatheke``.

    apt-get install diatheke sword-text-sparv sword-text-web
    python tools/extract_bible.py                 # writes w2vlib/data/
    python tools/extract_bible.py --output DIR    # writes somewhere else (the test does
    this)

Writes, in the output folder:

* ``bible_rv1909_es.tsv.gz``: the Reina-Valera 1909 (SWORD module ``spaRV1909eb``);
* ``bible_web_en.tsv.gz``: the World English Bible (SWORD module ``engWEB2015eb``);
* ``bible_PROVENANCE.txt``: package and module versions, licences, the command, counts
  and the SHA-256 of each uncompressed table.

Each table has one line per verse of the 66 books of the Protestant canon, in canonical
order: an OSIS reference (``Gen.1.1``, ``1Sam.3.10``, ``Rev.22.21``), a tab, and the
verse text exactly as the module has it apart from its markup (capitals, accents and
punctuation kept; not tokenised). Verses that are empty in a module are left out. The
WEB module also holds the deuterocanonical books; they are not exported.

How the markup becomes text
---------------------------
Each testament is exported with ``diatheke -b MODULE -l en -f internal -o h -k Gen-Mal``
(and ``Matt-Rev``): the raw OSIS of every verse, one verse a line, each after its
reference. (``-o h`` matters: without it diatheke repeats the last psalm title before
every later verse of a range.) The OSIS is
then reduced to text here:

* kept: the text of every element, including ``<w>`` (words tagged with Strong's
  numbers), ``<transChange>`` (words supplied by the translators, italic in print),
  ``<q>``, ``<l>`` and the *canonical* psalm titles (``<title canonical="true">``, "A
  Psalm by David..."), which are put at the start of the psalm's first verse, where the
  RV 1909 has them too;
* dropped: ``<speaker>`` labels (Song of Solomon), ``<note>``, non-canonical titles, and
  the introduction and glossary that the WEB module stores after Revelation 22:21.

Why diatheke's plain export runs words together ("Godcreated")
---------------------------------------------------------------
The words are not joined by a diatheke filter: the modules' OSIS itself has no space
there. The WEB was converted from its USFM sources (by Haiola, per the module's .conf)
with its footnotes and glossary markers removed, and where a footnote or a
Strong's-tagged word (``\\w ...\\w*``) touched the next word, the space between them was
lost: ``<w savlm="strong:H0430">God</w><w savlm="strong:H1254">created</w>``. The RV
1909 lost the space in the same way between a Strong's-tagged word and a supplied word:
``<w>hay allí</w><transChange>también</transChange><w>bdelio</w>`` (Gen 2:12). Every
output format that drops the tags (``-f plain``, any ``-o`` filter) therefore joins the
words, so we read the markup and put the space back: **a boundary between two elements
that has no whitespace becomes a space when the character before it is a letter, a digit
or closing punctuation and the character after it is a letter or a digit**
(``Christ</w>,<w>which`` -> "Christ, which"). The one exception is the Spanish enclitic
pronoun: the RV 1909 supplies ``lo``, ``le``, ``les``... as a ``<transChange>`` glued to
the verb it belongs to (``viéndo<transChange>lo</transChange>`` = "viéndolo",
``házme<transChange>lo`` = "házmelo"), so a supplied word that is only clitic pronouns
is joined to the word before it unless that word cannot carry an enclitic
(``NOT_A_VERB``: "que la tengan", "Dios lo permita"). The places changed are counted in
the provenance file.

Takes about 13 s of processor time (four diatheke calls, two at a time, and the
cleaning), about 40 s on the project's shared 2-core machine.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import gzip
import hashlib
import html
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "w2vlib" / "data"

#: (file stem, SWORD module, Debian package, language) of each exported Bible.
MODULES = (
    ("bible_rv1909_es", "spaRV1909eb", "sword-text-sparv", "es"),
    ("bible_web_en", "engWEB2015eb", "sword-text-web", "en"),
)
PROVENANCE = "bible_PROVENANCE.txt"

#: The 66 books: OSIS code (our reference and diatheke's key) and the name diatheke
#: prints in its English locale (``-l en``).
BOOKS = (
    ("Gen", "Genesis"),
    ("Exod", "Exodus"),
    ("Lev", "Leviticus"),
    ("Num", "Numbers"),
    ("Deut", "Deuteronomy"),
    ("Josh", "Joshua"),
    ("Judg", "Judges"),
    ("Ruth", "Ruth"),
    ("1Sam", "I Samuel"),
    ("2Sam", "II Samuel"),
    ("1Kgs", "I Kings"),
    ("2Kgs", "II Kings"),
    ("1Chr", "I Chronicles"),
    ("2Chr", "II Chronicles"),
    ("Ezra", "Ezra"),
    ("Neh", "Nehemiah"),
    ("Esth", "Esther"),
    ("Job", "Job"),
    ("Ps", "Psalms"),
    ("Prov", "Proverbs"),
    ("Eccl", "Ecclesiastes"),
    ("Song", "Song of Solomon"),
    ("Isa", "Isaiah"),
    ("Jer", "Jeremiah"),
    ("Lam", "Lamentations"),
    ("Ezek", "Ezekiel"),
    ("Dan", "Daniel"),
    ("Hos", "Hosea"),
    ("Joel", "Joel"),
    ("Amos", "Amos"),
    ("Obad", "Obadiah"),
    ("Jonah", "Jonah"),
    ("Mic", "Micah"),
    ("Nah", "Nahum"),
    ("Hab", "Habakkuk"),
    ("Zeph", "Zephaniah"),
    ("Hag", "Haggai"),
    ("Zech", "Zechariah"),
    ("Mal", "Malachi"),
    ("Matt", "Matthew"),
    ("Mark", "Mark"),
    ("Luke", "Luke"),
    ("John", "John"),
    ("Acts", "Acts"),
    ("Rom", "Romans"),
    ("1Cor", "I Corinthians"),
    ("2Cor", "II Corinthians"),
    ("Gal", "Galatians"),
    ("Eph", "Ephesians"),
    ("Phil", "Philippians"),
    ("Col", "Colossians"),
    ("1Thess", "I Thessalonians"),
    ("2Thess", "II Thessalonians"),
    ("1Tim", "I Timothy"),
    ("2Tim", "II Timothy"),
    ("Titus", "Titus"),
    ("Phlm", "Philemon"),
    ("Heb", "Hebrews"),
    ("Jas", "James"),
    ("1Pet", "I Peter"),
    ("2Pet", "II Peter"),
    ("1John", "I John"),
    ("2John", "II John"),
    ("3John", "III John"),
    ("Jude", "Jude"),
    ("Rev", "Revelation of John"),
)

#: A supplied word made only of these pronouns is an enclitic when glued to a verb.
CLITICS = frozenset(
    {"lo", "la", "le", "los", "las", "les", "me", "te", "se", "nos", "os"}
)
_CLITIC_RUN = re.compile(r"(?:%s)+" % "|".join(sorted(CLITICS, key=len, reverse=True)))
#: Words found glued to a supplied pronoun in the RV 1909 that are not verbs, so the
#: pronoun is a word of its own there (all the others are verbs: "viéndo|lo",
#: "díjo|le").
NOT_A_VERB = frozenset(
    {
        "y",
        "que",
        "no",
        "como",
        "cuánto",
        "os",
        "ellos",
        "gentes",
        "dios",
        "jehová",
        "josué",
    }
)

_TAG_OR_TEXT = re.compile(r"<[^>]*>|[^<]+")
_ATTRIBUTE = re.compile(r'([A-Za-z]+)="([^"]*)"')
# Elements whose text is not verse text.
_DROPPED = {"speaker", "note"}
_DROPPED_DIVS = {"introduction", "glossary"}
_CLOSING_PUNCTUATION = set(",;:.!?)]”’»")


def _tag(token):
    """(name, attributes, kind) of a tag; kind is 'open', 'close' or 'empty'."""
    closing = token.startswith("</")
    empty = token.endswith("/>")
    name = re.match(r"</?([A-Za-z]+)", token).group(1)
    kind = "close" if closing else "empty" if empty else "open"
    return name, dict(_ATTRIBUTE.findall(token)), kind


class _Counts(dict):
    def add(self, key, number=1):
        self[key] = self.get(key, 0) + number


def osis_to_text(markup: str, counts: _Counts | None = None) -> str:
    """The text of one verse's OSIS markup, with the lost spaces put back.

    >>> osis_to_text('<w savlm="strong:H0430">God</w><w>created</w> '
    ...              '<w>the</w> heavens.')
    'God created the heavens.'
    >>> osis_to_text('y viéndo<transChange type="added">lo</transChange> <w>ellos</w>')
    'y viéndolo ellos'
    >>> osis_to_text('<w>que</w><transChange type="added">la</transChange>'
    ...              '<w>tengan</w>')
    'que la tengan'
    """
    counts = _Counts() if counts is None else counts
    pieces: list[str] = []  # text so far
    skip: list[str] = []  # open elements whose text is dropped
    boundary: list[tuple] = []  # tags met since the last text
    tokens = _TAG_OR_TEXT.findall(markup)
    for index, token in enumerate(tokens):
        if token.startswith("<"):
            name, attributes, kind = _tag(token)
            if (
                name == "div"
                and attributes.get("type") == "book"
                and "eID" in attributes
            ):
                break  # what follows the end of the book is not verse text
            if name == "div" and attributes.get("type") in _DROPPED_DIVS:
                if "sID" in attributes:
                    skip.append("div:" + attributes["sID"])
                elif "eID" in attributes and "div:" + attributes["eID"] in skip:
                    skip.remove("div:" + attributes["eID"])
                continue
            dropped = name in _DROPPED or (
                name == "title" and attributes.get("canonical") != "true"
            )
            if dropped and kind == "open":
                skip.append(name)
            elif dropped and kind == "close" and name in skip:
                skip.remove(name)
            boundary.append((name, kind, index))
            continue
        if skip:
            continue
        text = html.unescape(token)
        if (
            boundary
            and pieces
            and not pieces[-1][-1].isspace()
            and not text[0].isspace()
        ):
            gap = _join(pieces, boundary, text, tokens, counts)
            if gap:
                pieces.append(gap)
        pieces.append(text)
        boundary = []
    return " ".join("".join(pieces).split())


def _join(pieces, boundary, text, tokens, counts) -> str:
    """What goes between the text so far and ``text`` across the tags in
    ``boundary``."""
    before = pieces[-1][-1]
    if (
        not (before.isalnum() or before in _CLOSING_PUNCTUATION)
        or not text[0].isalnum()
    ):
        return ""
    opened = [(name, index) for name, kind, index in boundary if kind == "open"]
    if before.isalpha() and opened and opened[-1][0] == "transChange":
        supplied = _element_text(tokens, opened[-1][1])
        host = re.findall(r"[^\W\d_]+", "".join(pieces[-3:]))[-1]
        if _CLITIC_RUN.fullmatch(supplied.lower()) and host.lower() not in NOT_A_VERB:
            counts.add("enclitic pronouns joined to their verb")
            return ""
    counts.add("spaces put back between elements")
    return " "


def _element_text(tokens, start) -> str:
    """The text inside the element whose opening tag is ``tokens[start]``."""
    depth, text = 0, []
    for token in tokens[start:]:
        if token.startswith("</"):
            depth -= 1
            if depth == 0:
                break
        elif token.startswith("<"):
            depth += 0 if token.endswith("/>") else 1
        else:
            text.append(token)
    return "".join(text).strip()


def _run(command) -> str:
    result = subprocess.run(command, capture_output=True, text=True, encoding="utf-8")
    if result.returncode != 0:
        raise RuntimeError(f"{shlex.join(command)} failed: {result.stderr.strip()}")
    return result.stdout


#: The two diatheke calls per module: the Old Testament (Genesis to Malachi) and the
#: New. (The WEB module's deuterocanonical books come between the two in its
#: versification.)
SECTIONS = (BOOKS[:39], BOOKS[39:])


def section_verses(module: str, books) -> tuple[list[tuple[str, str]], _Counts]:
    """(reference, text) of every non-empty verse of ``books`` (consecutive) in
    ``module``."""
    key = f"{books[0][0]}-{books[-1][0]}"
    raw = _run(
        ["diatheke", "-b", module, "-l", "en", "-f", "internal", "-o", "h", "-k", key]
    )
    raw = raw.removesuffix(f"({module})\n")
    osis_of = {name: osis for osis, name in books}
    names = "|".join(re.escape(name) for name in osis_of)
    # A verse starts a line, after any pre-verse markup (a psalm title, line-group
    # tags).
    starts = list(re.finditer(rf"^(.*?)({names}) (\d+):(\d+): ", raw, re.MULTILINE))
    found = list(dict.fromkeys(start.group(2) for start in starts))
    if found != list(osis_of):
        raise RuntimeError(f"diatheke -k {key} on {module} printed the books {found}, "
                           f"expected {list(osis_of)}")
    counts, verses = _Counts(), []
    for number, start in enumerate(starts):
        end = starts[number + 1].start() if number + 1 < len(starts) else len(raw)
        reference = f"{osis_of[start.group(2)]}.{start.group(3)}.{start.group(4)}"
        title = osis_to_text(start.group(1), counts)
        text = f"{title} {osis_to_text(raw[start.end():end], counts)}".strip()
        if "\t" in text or "\n" in text:
            raise RuntimeError(f"{module} {reference}: a tab or line break survived "
                               f"cleaning: {text!r:.80}")
        if text:
            verses.append((reference, text))
        else:
            counts.add("empty verses left out")
    return verses, counts


def _conf(module: str) -> dict[str, str]:
    path = Path("/usr/share/sword/mods.d") / f"{module}.conf"
    fields = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, equals, value = line.partition("=")
        if equals and not line.startswith("#"):
            fields.setdefault(key.strip(), value.strip())
    return fields


def _package_version(package: str) -> str:
    return _run(["dpkg-query", "-W", "-f", "${Version}", package]).strip()


def _write_gzip(path: Path, text: str) -> None:
    # mtime=0 and no file name in the header: the same text always gives the same bytes.
    buffer = io.BytesIO()
    with gzip.GzipFile(
        filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9
    ) as f:
        f.write(text.encode("utf-8"))
    path.write_bytes(buffer.getvalue())


def provenance(tables: dict, counts: dict) -> str:
    lines = [
        "Provenance of w2vlib's Bible data (written by tools/extract_bible.py; do not "
        "edit)",
        "",
        "Command: python tools/extract_bible.py",
        "Each module: diatheke -b MODULE -l en -f internal -o h -k Gen-Mal (then -k "
        "Matt-Rev)",
        f"diatheke: Debian package diatheke {_package_version('diatheke')}",
        "",
    ]
    for stem, module, package, language in MODULES:
        conf, table = _conf(module), tables[stem]
        tokens = len(table.split()) - table.count("\n")  # minus the references
        lines += [
            f"{stem}.tsv.gz  ({language})",
            f"  SWORD module: {module} ({conf.get('Description')}), version "
            f"{conf.get('Version')} of {conf.get('SwordVersionDate')}, versification "
            f"{conf.get('Versification')}",
            f"  Debian package: {package} {_package_version(package)}",
            f"  {conf.get('History_' + conf.get('Version', ''), '')}",
            f"  Verses: {table.count(chr(10))}; whitespace-separated words: {tokens}",
            *(f"  {what}: {number}" for what, number in sorted(counts[stem].items())),
            "  SHA-256 of the uncompressed table: "
            f"{hashlib.sha256(table.encode()).hexdigest()}",
            f"  Licence (DistributionLicense): {conf.get('DistributionLicense')}",
            f"  Copyright notes: {conf.get('CopyrightNotes')}",
            f"  About: {conf.get('About')}",
            "",
        ]
    lines += [
        "Both texts are the modules' own apart from their markup (the WEB module has "
        "no",
        "footnotes) and the spaces that the modules' conversion lost (see the counts "
        "above and",
        "tools/extract_bible.py). eBible.org asks that a changed World English Bible "
        "text not",
        "be called the World English Bible; w2vlib's loaders lower-case and tokenise "
        "it.",
    ]
    return "\n".join(lines) + "\n"


def extract(output: Path) -> dict[str, str]:
    """Export both modules into ``output``; return the tables by file stem."""
    if shutil.which("diatheke") is None:
        raise SystemExit("diatheke is not installed; run: apt-get install diatheke "
                         "sword-text-sparv sword-text-web")
    jobs = [(module, books) for _, module, _, _ in MODULES for books in SECTIONS]
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(zip(jobs, pool.map(lambda job: section_verses(*job), jobs)))
    tables, counts = {}, {}
    for stem, module, _, _ in MODULES:
        parts = [results[module, books] for books in SECTIONS]
        tables[stem] = "".join(f"{reference}\t{text}\n" for verses, _ in parts
                               for reference, text in verses)
        counts[stem] = _Counts()
        for _, found in parts:
            for what, number in found.items():
                counts[stem].add(what, number)
    output.mkdir(parents=True, exist_ok=True)
    # Write into a temporary folder first so an interrupted run leaves the old data
    # whole.
    with tempfile.TemporaryDirectory(dir=output) as scratch:
        for stem, table in tables.items():
            _write_gzip(Path(scratch) / f"{stem}.tsv.gz", table)
        (Path(scratch) / PROVENANCE).write_text(
            provenance(tables, counts), encoding="utf-8"
        )
        for written in Path(scratch).iterdir():
            os.replace(written, output / written.name)
    return tables


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                        help=f"folder to write into (default {DEFAULT_OUTPUT})")
    args = parser.parse_args(argv)
    tables = extract(args.output)
    for stem, table in tables.items():
        print(f"{args.output / stem}.tsv.gz: {table.count(chr(10))} verses")
    return 0


if __name__ == "__main__":
    sys.exit(main())
