"""Unit codes as users type them: ``d009`` finds ``D009``.

A code typed on the command line or in a notebook is matched to the codes in the data exactly, else
ignoring case (and surrounding spaces) when that finds exactly one code; anything else is unknown.

Examples
--------
>>> match_codes(["d009", "D001", "X"], ["D001", "D009"])
(['D009', 'D001'], ['X'])
"""
from __future__ import annotations

from collections.abc import Iterable


def match_codes(requested: Iterable[str], known: Iterable[str]) -> tuple[list[str], list[str]]:
    """The known codes the requested ones name, and the requested ones that name none.

    Parameters
    ----------
    requested : iterable of str
        Codes as typed (any case, surrounding spaces allowed).
    known : iterable of str
        The codes in the data.

    Returns
    -------
    matched : list of str
        The known code of each requested one that names exactly one (exactly, else ignoring case), in
        the order requested, each once.
    unknown : list of str
        The requested codes (as typed) that name none, or more than one ignoring case.

    Examples
    --------
    >>> match_codes([" hzfl "], ["HZFL"])
    (['HZFL'], [])
    >>> match_codes(["ab"], ["AB", "Ab"])
    ([], ['ab'])
    """
    known = [str(code) for code in known if code is not None]
    exact = set(known)
    folded: dict[str, list[str]] = {}
    for code in dict.fromkeys(known):
        folded.setdefault(code.casefold(), []).append(code)
    matched, unknown = [], []
    for typed in requested:
        text = str(typed).strip()
        candidates = [text] if text in exact else folded.get(text.casefold(), [])
        if len(candidates) == 1:
            if candidates[0] not in matched:
                matched.append(candidates[0])
        else:
            unknown.append(str(typed))
    return matched, unknown
