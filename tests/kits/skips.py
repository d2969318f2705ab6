"""The skipped tests, summed up in one line at the end of a run: how many, what they need, the one command.

A newcomer's ``make test`` skips the tests that need a real browser or LibreOffice. pytest would list
each reason on its own; :func:`skip_line` gives one line instead, which ``tests/conftest.py`` prints
last (``pytest_terminal_summary``)::

    27 tests skipped (24 need Chromium, 3 need LibreOffice) — to run them: make browser office && make test
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

#: What a skip reason says it needs → (the thing, the make target that installs it, as CI runs it).
NEEDS = (
    ("install_browser", "Chromium", "browser"),
    ("chromium", "Chromium", "browser"),
    ("playwright", "Chromium", "browser"),
    ("libreoffice", "LibreOffice", "office"),
)


def reason_of(report) -> str:
    """The reason text of a skipped test's report (pytest keeps it as ``(file, line, "Skipped: …")``)."""
    longrepr = getattr(report, "longrepr", None)
    text = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr or "")
    return text.removeprefix("Skipped: ")


#: How a skip reason is shown when it needs nothing installed (pytest's own words → ours).
SHOWN = {"all tests skipped by +SKIP option": "docstring examples marked +SKIP (they show usage on real data)"}


def need_of(reason: str) -> tuple[str, str] | None:
    """(thing, make target) for a reason that names something to install; None for any other reason."""
    lowered = reason.lower()
    return next(((thing, target) for needle, thing, target in NEEDS if needle in lowered), None)


def skip_line(reasons: Iterable[str]) -> str | None:
    """One line: how many tests were skipped, what they need, and the one command that runs them.

    Parameters
    ----------
    reasons : iterable of str
        The reason of each skipped test.

    Returns
    -------
    str or None
        None when nothing was skipped.

    Examples
    --------
    >>> skip_line(["chromium not found: run scripts/install_browser.sh (CI installs it)"] * 2
    ...           + ["LibreOffice not installed", "the real report is not available here (x.pdf)"])
    '4 tests skipped (2 need Chromium, 1 needs LibreOffice, 1: the real report is not available here (x.pdf)) — to run them: make browser office && make test'
    >>> skip_line([]) is None
    True
    """
    reasons = list(reasons)
    if not reasons:
        return None
    needs = Counter(need_of(reason) for reason in reasons)
    parts, targets = [], []
    for (need, count) in sorted(needs.items(), key=lambda item: (item[0] is None, -item[1])):
        if need is None:
            continue
        thing, target = need
        parts.append(f"{count} {'need' if count > 1 else 'needs'} {thing}")
        if target not in targets:
            targets.append(target)
    others = Counter(reason for reason in reasons if need_of(reason) is None)
    parts += [f"{count}: {SHOWN.get(reason, reason)}" for reason, count in others.most_common()]
    line = f"{len(reasons)} test{'s' if len(reasons) > 1 else ''} skipped ({', '.join(parts)})"
    if targets:
        line += f" — to run them: make {' '.join(sorted(targets))} && make test"
    return line
