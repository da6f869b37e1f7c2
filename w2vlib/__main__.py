"""Entry point of ``python -m w2vlib`` and of the ``w2vlib`` console script (see
w2vlib.cli)."""

import sys

from w2vlib import cli

__all__ = ["main"]


def main() -> int:
    """Run the command line on ``sys.argv[1:]`` and return its exit status."""
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
