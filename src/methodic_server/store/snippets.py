"""Search snippets a person can read: one window of the matched text, matched terms marked one way.

SQLite's ``snippet()`` works on the indexed column, where every string of a JSON document was joined,
so its windows ran across field boundaries ("...from checkpoint checkpoint resume lost...") and
repeated the title the result already shows. Here the window is chosen inside one field (one line of
the indexed text): the one that matches the most distinct query terms, not counting a field that is
only the title (unless nothing else is there), cut to ``WINDOW_WORDS`` words around its matches, with
``…`` where it was cut. A run of adjacent matched words is marked once: ``higher **learning rate**``.
"""

from __future__ import annotations

import re

MARK_OPEN = "**"
MARK_CLOSE = "**"
WINDOW_WORDS = 24
_WORD = re.compile(r"\w+")


def _normal(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _stem(word: str) -> str:
    """A crude stem, enough to mark what the index's porter tokenizer matched (converge ~ converged)."""
    word = word.lower()
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _stems(text: str) -> set[str]:
    return {_stem(part) for part in _WORD.findall(text)}


def _same(stem: str, term: str) -> bool:
    """Equal stems, or one a prefix (of at least four letters) of the other: spik/spike, converg/converge."""
    if stem == term:
        return True
    short, long = sorted((stem, term), key=len)
    return len(short) >= 4 and long.startswith(short)


def _found(stems: set[str], terms: set[str]) -> set[str]:
    """The query terms that ``stems`` contain."""
    return {term for term in terms if any(_same(stem, term) for stem in stems)}


def _matches(word: str, terms: set[str]) -> bool:
    return bool(_found(_stems(word), terms))


def _best_window(words: list[str], terms: set[str]) -> tuple[int, int]:
    """The ``WINDOW_WORDS``-word slice with the most distinct matched terms (the earliest of equals).

    Each word is matched once and the window slides with running counts: linear in the field's length.
    """
    if len(words) <= WINDOW_WORDS:
        return 0, len(words)
    hits = [_found(_stems(word), terms) for word in words]
    counts: dict[str, int] = {}

    def add(found: set[str], step: int) -> None:
        for term in found:
            counts[term] = counts.get(term, 0) + step
            if counts[term] == 0:
                del counts[term]

    for found in hits[:WINDOW_WORDS]:
        add(found, 1)
    best_start, best_score = 0, len(counts)
    for start in range(1, len(words) - WINDOW_WORDS + 1):
        add(hits[start - 1], -1)
        add(hits[start + WINDOW_WORDS - 1], 1)
        if len(counts) > best_score:
            best_start, best_score = start, len(counts)
    # Open a little before the first match, so it is read in context rather than as the first word.
    first = next((i for i in range(best_start, best_start + WINDOW_WORDS) if hits[i]), best_start)
    start = max(0, min(first - 4, len(words) - WINDOW_WORDS))
    return start, start + WINDOW_WORDS


def _mark(words: list[str], terms: set[str]) -> str:
    """Words joined by spaces, each run of matched words wrapped once in the markers (punctuation outside)."""
    parts = []
    for word in words:
        found = re.match(r"^(\W*)(.*?)(\W*)$", word)
        lead, body, trail = found.groups() if found else ("", word, "")
        parts.append((lead, body, trail, bool(body) and _matches(body, terms)))
    out: list[str] = []
    i = 0
    while i < len(parts):
        lead, body, trail, hit = parts[i]
        if not hit:
            out.append(words[i])
            i += 1
            continue
        j = i  # extend the run over matched neighbours not separated by punctuation
        while j + 1 < len(parts) and parts[j + 1][3] and not parts[j][2] and not parts[j + 1][0]:
            j += 1
        inner = " ".join(parts[k][1] for k in range(i, j + 1))
        out.append(f"{lead}{MARK_OPEN}{inner}{MARK_CLOSE}{parts[j][2]}")
        i = j + 1
    return " ".join(out)


def make_snippet(text: str, title: str, query_terms: list[str]) -> str:
    """The snippet for a document whose indexed ``text`` matched ``query_terms``."""
    terms = {_stem(t) for t in query_terms}
    title_key = _normal(title)
    fields: list[list[str]] = []
    seen: set[str] = set()
    for line in text.splitlines():
        key = _normal(line)
        if key and key not in seen:
            seen.add(key)
            fields.append(line.split())
    # A field that only repeats the title adds nothing beside it, unless it is all the text there is.
    fields = [words for words in fields if _normal(" ".join(words)) != title_key] or fields
    if not fields:
        return ""
    best = max(fields, key=lambda words: len(_found({stem for w in words for stem in _stems(w)}, terms)))
    start, end = _best_window(best, terms)
    snippet = _mark(best[start:end], terms)
    return ("… " if start > 0 else "") + snippet + (" …" if end < len(best) else "")
