"""jieba's word segmentation from its dictionary kept on disk: a title's words without loading 580,000 entries.

titles.py breaks long titles between jieba's words (its dictionary only, no HMM guessing of new words). jieba
holds its prefix dictionary (every word and every prefix of a word → frequency, 0 for a prefix only; and the sum
of the frequencies) in memory, which takes about 1 s of CPU to import and load in each process that breaks a
title — the build and each of its workers — for a few dozen look-ups a title. So the dictionary is kept, exactly
as jieba builds it (`Tokenizer.initialize()`), in an SQLite table in the user's cache folder, made once per jieba
dictionary, and read a key at a time; `Segmenter.cut` is jieba's own segmentation without HMM (`Tokenizer.cut(text,
HMM=False)`: the text split into runs of 汉字/letters/digits, each run's word graph from the dictionary, the most
probable path through it, single letters and digits joined), step for step, so the words are jieba's
(tests/test_titles.py compares them). Where no cache folder can be written the dictionary is loaded in memory,
from jieba, as before.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import tempfile
from collections.abc import Iterator
from math import log
from pathlib import Path

FORMAT = "1"  # the table's layout: a change makes a new file

# jieba 0.42's patterns (jieba/__init__.py: re_eng, re_han_default, re_skip_default)
_ENG = re.compile("[a-zA-Z0-9]")
_HAN = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)")
_SKIP = re.compile("(\r\n|\\s)")


class Frequencies:
    """jieba's FREQ read from the table as asked for, each answer kept; `total` is its sum of the frequencies.
    Opened again in a process forked after it was opened (an SQLite connection does not cross a fork)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._pid = -1
        self._db = None
        self._known: dict[str, int | None] = {}
        self.total = int(self._connection().execute("SELECT v FROM total").fetchone()[0])

    def _connection(self):
        if self._pid != os.getpid():
            import sqlite3

            self._db = sqlite3.connect(f"{self.path.as_uri()}?mode=ro&immutable=1", uri=True,
                                       check_same_thread=False)
            self._pid = os.getpid()
        return self._db

    def get(self, key: str, default: int | None = None) -> int | None:
        if key not in self._known:
            row = self._connection().execute("SELECT v FROM freq WHERE k = ?", (key,)).fetchone()
            self._known[key] = None if row is None else row[0]
        value = self._known[key]
        return default if value is None else value

    def __contains__(self, key: str) -> bool:
        return self.get(key) is not None

    def __getitem__(self, key: str) -> int:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value


class Segmenter:
    """jieba's `Tokenizer.cut(text, HMM=False)` on a prefix dictionary (a Frequencies, or jieba's own FREQ)."""

    def __init__(self, freq, total: int) -> None:
        self.freq = freq
        self.total = total

    def cut(self, text: str) -> Iterator[str]:
        for block in _HAN.split(text):
            if not block:
                continue
            if _HAN.match(block):
                yield from self._cut_block(block)
            else:
                for piece in _SKIP.split(block):
                    if _SKIP.match(piece):
                        yield piece
                    else:
                        yield from piece

    def _dag(self, sentence: str) -> dict[int, list[int]]:
        freq = self.freq
        dag = {}
        n = len(sentence)
        for k in range(n):
            ends = []
            i = k
            frag = sentence[k]
            while i < n and frag in freq:
                if freq[frag]:
                    ends.append(i)
                i += 1
                frag = sentence[k:i + 1]
            if not ends:
                ends.append(k)
            dag[k] = ends
        return dag

    def _cut_block(self, sentence: str) -> Iterator[str]:
        dag = self._dag(sentence)
        n = len(sentence)
        route: dict[int, tuple[float, int]] = {n: (0, 0)}
        logtotal = log(self.total)
        for idx in range(n - 1, -1, -1):
            route[idx] = max((log(self.freq.get(sentence[idx:x + 1]) or 1) - logtotal + route[x + 1][0], x)
                             for x in dag[idx])
        x = 0
        buf = ""
        while x < n:
            y = route[x][1] + 1
            word = sentence[x:y]
            if _ENG.match(word) and len(word) == 1:
                buf += word
            else:
                if buf:
                    yield buf
                    buf = ""
                yield word
            x = y
        if buf:
            yield buf


def dictionary_file() -> Path | None:
    """jieba's default dictionary (found without importing jieba), or None if jieba is not installed."""
    spec = importlib.util.find_spec("jieba")
    return Path(spec.origin).with_name("dict.txt") if spec is not None and spec.origin else None


def table_name(dictionary: Path) -> str:
    """The table's file name: changes with the dictionary file and jieba's code."""
    parts = [FORMAT]
    for path in (dictionary, dictionary.with_name("__init__.py")):
        info = path.stat()
        parts.append(f"{path}|{info.st_size}|{info.st_mtime_ns}")
    return f"jieba-{hashlib.sha1('|'.join(parts).encode(), usedforsecurity=False).hexdigest()[:16]}.sqlite"


def jieba_tokenizer():
    """jieba's default tokenizer, its dictionary loaded in memory."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def _write(path: Path) -> None:
    """Make the table from jieba's dictionary as jieba loads it: written to a file of its own, then moved into
    place, so that processes making it at once each leave a whole file."""
    import sqlite3

    tokenizer = jieba_tokenizer()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".sqlite")
    os.close(fd)
    try:
        db = sqlite3.connect(temp)
        try:
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            db.execute("CREATE TABLE freq (k TEXT PRIMARY KEY, v INTEGER NOT NULL) WITHOUT ROWID")
            db.executemany("INSERT INTO freq VALUES (?, ?)", sorted(tokenizer.FREQ.items()))
            db.execute("CREATE TABLE total (v INTEGER NOT NULL)")
            db.execute("INSERT INTO total VALUES (?)", (tokenizer.total,))
            db.commit()
        finally:
            db.close()
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def segmenter() -> Segmenter:
    """jieba's segmentation on its dictionary's table in the cache folder (made if missing); on jieba's dictionary
    in memory where no table can be kept."""
    import sqlite3

    from .font_copies import cache_folders

    dictionary = dictionary_file()
    if dictionary is not None and dictionary.is_file():
        name = table_name(dictionary)
        for base in cache_folders():
            path = base.parent / name
            for again in (False, True):  # a table that cannot be read is made again
                try:
                    if again or not path.is_file():
                        _write(path)
                    table = Frequencies(path)
                    return Segmenter(table, table.total)
                except (OSError, sqlite3.Error):
                    continue
    tokenizer = jieba_tokenizer()
    return Segmenter(tokenizer.FREQ, tokenizer.total)
