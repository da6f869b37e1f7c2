"""Writing files safely: the whole content goes to a temporary file in the same folder, which
then replaces the target in one step (``os.replace``), so an interrupted write never leaves a
half-written file, and a failed one leaves the previous file as it was.
"""
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
