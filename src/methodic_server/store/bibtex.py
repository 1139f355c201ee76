"""Read one BibTeX entry, strictly and in bounded time: what registering a publication from BibTeX needs.

Why not bibtexparser: it reads whole bibliographies (macros, comments, many entries), and on hostile input
it logs one warning per block it gives up on: 60 KB of ``@a{`` wrote 20,000 log lines in 0.25 s, into the
server's log. A publication is one entry, so this reads exactly one, in a single pass over at most
:data:`MAX_BIBTEX_CHARS` characters, and refuses anything else with one message.
"""

from __future__ import annotations

import re

from methodic_server.errors import bad_request

#: Larger than any real entry (long abstracts included); refused above it before any parsing.
MAX_BIBTEX_CHARS = 64 * 1024
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_:.+/-]*")
_KEY = re.compile(r"[^,\s{}()\"#%'=\\]+")
_WORD = re.compile(r"[A-Za-z0-9_.:+/-]+")


class _Reader:
    """A cursor over the text; every step moves forward, so reading is linear in its length."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def skip_space(self) -> None:
        while self.at < len(self.text) and self.text[self.at].isspace():
            self.at += 1

    def peek(self) -> str:
        self.skip_space()
        return self.text[self.at] if self.at < len(self.text) else ""

    def expect(self, char: str, what: str) -> None:
        if self.peek() != char:
            found = repr(self.text[self.at]) if self.at < len(self.text) else "the end"
            raise bad_request(f"bibtex: expected {what}, found {found} at character {self.at}")
        self.at += 1

    def match(self, pattern: re.Pattern[str], what: str) -> str:
        self.skip_space()
        found = pattern.match(self.text, self.at)
        if found is None:
            raise bad_request(f"bibtex: expected {what} at character {self.at}")
        self.at = found.end()
        return found.group(0)

    def braced(self) -> str:
        """The text inside balanced braces (the opening one is current); inner braces are kept."""
        self.expect("{", "'{'")
        start, depth = self.at, 1
        while self.at < len(self.text):
            char = self.text[self.at]
            if char == "\\":
                self.at += 2
                continue
            depth += {"{": 1, "}": -1}.get(char, 0)
            self.at += 1
            if depth == 0:
                return self.text[start : self.at - 1]
        raise bad_request("bibtex: a brace is never closed")

    def quoted(self) -> str:
        """The text inside double quotes, where braces may protect a quote."""
        self.expect('"', "'\"'")
        start, depth = self.at, 0
        while self.at < len(self.text):
            char = self.text[self.at]
            if char == "\\":
                self.at += 2
                continue
            if char == '"' and depth == 0:
                self.at += 1
                return self.text[start : self.at - 1]
            depth += {"{": 1, "}": -1}.get(char, 0)
            self.at += 1
        raise bad_request("bibtex: a quote is never closed")

    def value(self) -> str:
        """A field's value: braced, quoted or a bare word, concatenated with ``#``."""
        parts = []
        while True:
            head = self.peek()
            if head == "{":
                parts.append(self.braced())
            elif head == '"':
                parts.append(self.quoted())
            else:
                parts.append(self.match(_WORD, "a field value"))
            if self.peek() != "#":
                return "".join(parts)
            self.at += 1


def parse_entry(text: str) -> dict[str, str]:
    """The one entry in ``text``: ``entry_type``, ``citation_key`` and its fields (names lower-cased).

    400 for anything that is not exactly one well-formed entry, with where it went wrong.
    """
    if len(text) > MAX_BIBTEX_CHARS:
        raise bad_request(f"bibtex is {len(text)} characters; at most {MAX_BIBTEX_CHARS} are read")
    reader = _Reader(text)
    reader.expect("@", "an entry starting with '@'")
    entry_type = reader.match(_NAME, "an entry type").lower()
    closing = {"{": "}", "(": ")"}.get(reader.peek())
    if closing is None:
        raise bad_request("bibtex: expected '{' or '(' after the entry type")
    reader.at += 1
    entry = {"entry_type": entry_type, "citation_key": reader.match(_KEY, "a citation key")}
    while reader.peek() == ",":
        reader.at += 1
        if reader.peek() == closing:
            break  # a trailing comma
        name = reader.match(_NAME, "a field name").lower()
        reader.expect("=", f"'=' after {name}")
        if name in entry:
            raise bad_request(f"bibtex: the field {name} is given twice")
        entry[name] = " ".join(reader.value().split())
    reader.expect(closing, f"{closing!r} closing the entry")
    if reader.peek():
        raise bad_request("bibtex: one entry only; there is more after it")
    return entry


def plain(value: str) -> str:
    """A field value without the braces that protect capitals, and with common escapes undone."""
    return " ".join(value.replace("\\&", "&").replace("{", "").replace("}", "").split())
