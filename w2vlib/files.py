"""Writing files safely: the whole content goes to a temporary file in the same folder, which
then replaces the target in one step (``os.replace``), so an interrupted write never leaves a
half-written file, and a failed one leaves the previous file as it was. And the one rule every
reader of a UTF-8 file shares: a byte-order mark at its start is skipped (``bom_length``).
"""
import codecs
import gzip
import os
import tempfile
from pathlib import Path


def write_atomically(path, write):
    """Call ``write(binary_file)`` on a temporary file, then move it to ``path``.

    A ``.gz`` path is gzip-compressed, with no name or time in the header so the same content
    gives the same bytes. The file gets the permissions ``open()`` would give it.
    """
    path = Path(path)
    directory = path.parent
    if not directory.is_dir():
        raise FileNotFoundError(f"directory {directory} does not exist; create it first")
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a directory; pass a file name")
    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            if path.suffix == ".gz":
                with gzip.GzipFile(filename="", fileobj=file, mode="wb", mtime=0) as compressed:
                    write(compressed)
            else:
                write(file)
        # mkstemp creates the file private (0600).
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text_atomically(path, text):
    """Write ``text`` as UTF-8 with ``\\n`` line ends through :func:`write_atomically`."""
    write_atomically(path, lambda file: file.write(text.encode("utf-8")))


def bom_length(data):
    """3 if the bytes ``data`` start with the UTF-8 byte-order mark, else 0.

    Editors on Windows may start a UTF-8 file with it; it is not part of the text, so every
    w2vlib reader skips it (``corpora.read_sentences``, the vector files of ``KeyedVectors``,
    the evaluation files of ``evaluation``).
    """
    return len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
