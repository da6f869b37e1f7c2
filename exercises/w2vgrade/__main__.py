"""``python -m w2vgrade``: see :mod:`w2vgrade.cli`."""

from w2vgrade.cli import main

if __name__ == "__main__":
    main()
