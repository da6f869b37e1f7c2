"""Reading and writing files: atomically, compressed or not, with or without a BOM.

* :func:`write_atomically` -- the whole content goes to a temporary file in the same
  folder, which then replaces the target in one step (``os.replace``), so an interrupted
  write never leaves a half-written file, and a failed one leaves the previous file as
  it was. A path ending in ``.gz``, ``.bz2`` or ``.xz`` is compressed.
* :func:`open_compressed` -- a file opened for reading bytes, decompressed on the fly if
  it is gzip, bzip2 or xz data, as gensim reads them (through ``smart_open``); another
  compression gets an error naming it.
* :func:`bom_length` -- the one rule every reader of a UTF-8 file shares: a byte-order
  mark at its start is skipped.
"""
import bz2
import codecs
import contextlib
import gzip
import lzma
import os
import tempfile
from pathlib import Path

__all__ = [
    "COMPRESSED_SUFFIXES",
    "bom_length",
    "open_compressed",
    "write_atomically",
    "write_text_atomically",
]

# suffix -> (the first bytes of such a file, the module that reads and writes it)
_COMPRESSIONS = {
    ".gz": (b"\x1f\x8b", gzip),
    ".bz2": (tuple(b"BZh%d" % level for level in range(1, 10)), bz2),
    ".xz": (b"\xfd7zXZ\x00", lzma),
}
#: The compressions w2vlib reads and writes: those of the standard library, which gensim
#: handles too (it also reads .zst and .lz4 when their packages are installed).
COMPRESSED_SUFFIXES = tuple(_COMPRESSIONS)
# other compressions, recognised only to name them in the error
_UNSUPPORTED = {
    ".zst": (b"\x28\xb5\x2f\xfd", "Zstandard"),
    ".lz4": (b"\x04\x22\x4d\x18", "LZ4"),
    ".zip": (b"PK\x03\x04", "zip"),
    ".7z": (b"7z\xbc\xaf\x27\x1c", "7-Zip"),
    ".Z": (b"\x1f\x9d", "Unix compress"),
}


def _unsupported(path, name):
    return ValueError(
        f"{path} is {name}-compressed, which w2vlib cannot read or write; decompress "
        f"it, or compress it as {', '.join(COMPRESSED_SUFFIXES)} instead"
    )


@contextlib.contextmanager
def open_compressed(path):
    """``path`` opened for reading bytes, decompressed if it is gzip, bzip2 or xz data.

    The compression is recognised by the file's first bytes, whatever its name.

    Raises
    ------
    ValueError
        Naming the compression, for a file compressed in another format (Zstandard, LZ4,
        zip, 7-Zip, Unix compress).
    """
    with open(path, "rb") as file:
        start = file.peek(8)[:8]
        for magic, module in _COMPRESSIONS.values():
            if start.startswith(magic):
                with module.open(file, "rb") as decompressed:
                    yield decompressed
                return
        for suffix, (magic, name) in _UNSUPPORTED.items():
            if start.startswith(magic) or Path(path).suffix == suffix:
                raise _unsupported(path, name)
        yield file


def _compressed_writer(path, file):
    """``file`` wrapped in the compressor that ``path``'s suffix names (or as it is)."""
    suffix = path.suffix
    if (
        suffix == ".gz"
    ):  # no name or time in the header: the same content, the same bytes
        return gzip.GzipFile(filename="", fileobj=file, mode="wb", mtime=0)
    if suffix in _COMPRESSIONS:
        return _COMPRESSIONS[suffix][1].open(file, "wb")
    return contextlib.nullcontext(file)


def write_atomically(path, write):
    """Call ``write(binary_file)`` on a temporary file, then move it to ``path``.

    A ``.gz``, ``.bz2`` or ``.xz`` path is compressed (gzip with no name or time in the
    header, so the same content gives the same bytes); another compression's suffix
    (``.zst``, ``.zip``...) is a ValueError. The file gets the permissions ``open()``
    would give it.
    """
    path = Path(path)
    if path.suffix in _UNSUPPORTED:
        raise _unsupported(path, _UNSUPPORTED[path.suffix][1])
    directory = path.parent
    if not directory.is_dir():
        raise FileNotFoundError(f"directory {directory} does not exist; create it "
                                "first")
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a directory; pass a file name")
    descriptor, temporary = tempfile.mkstemp(
        dir=directory, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as file:
            with _compressed_writer(path, file) as compressed:
                write(compressed)
        # mkstemp creates the file private (0600).
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text_atomically(path, text):
    """Write ``text`` as UTF-8, ``\\n`` line ends, with :func:`write_atomically`."""
    write_atomically(path, lambda file: file.write(text.encode("utf-8")))


def bom_length(data):
    """3 if the bytes ``data`` start with the UTF-8 byte-order mark, else 0.

    Editors on Windows may start a UTF-8 file with it; it is not part of the text, so
    every w2vlib reader skips it (``corpora.read_sentences``, the vector files of
    ``KeyedVectors``, the evaluation files of ``evaluation``).
    """
    return len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
