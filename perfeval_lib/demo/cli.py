"""The command line of the demo generator: ``python -m perfeval_lib.demo OUT_DIR [--seed N]
[--units N]`` writes the invented 示例区 raw files into ``OUT_DIR`` with
:func:`~perfeval_lib.demo.generate` and says how many files it wrote.
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Sequence

from .files import generate
from .names import DEFAULT_N_UNITS, DEFAULT_SEED


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m perfeval_lib.demo OUT_DIR [--seed N] [--units N]``.

    Parameters
    ----------
    argv
        The arguments after the program name; ``None`` reads ``sys.argv``. ``OUT_DIR`` is the folder
        to write (e.g. ``data/raw/demo``), ``--seed`` the random seed (default 2023) and ``--units``
        the number of units (default 24).

    Returns
    -------
    int
        The exit status: 0 once the files are written (argparse exits with 2 on bad arguments).

    Examples
    --------
    >>> import tempfile
    >>> main([tempfile.mkdtemp(), "--seed", "5"])  # doctest: +ELLIPSIS
    wrote 15 files to ...
    0
    """
    parser = argparse.ArgumentParser(prog="python -m perfeval_lib.demo",
                                     description="Write the invented 示例区 demo raw files.")
    parser.add_argument("out_dir", type=Path, help="folder to write, e.g. data/raw/demo")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--units", type=int, default=DEFAULT_N_UNITS, help="number of units (default 24)")
    args = parser.parse_args(argv)
    paths = generate(args.out_dir, seed=args.seed, n_units=args.units)
    print(f"wrote {len(paths)} files to {args.out_dir}")
    return 0
