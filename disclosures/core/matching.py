"""Brand search: exact, alias, as-you-type prefix, whole-word and typo-tolerant lookup over millions of names.

Pure Python + numpy + rapidfuzz; never imports Django (the site builds a ``BrandIndex`` from a database query).

Normalisation (``normalize_name``): case, accents, apostrophes and punctuation fold away, "&" reads "and",
trailing legal suffixes ("Inc.", "GmbH", "& Co.") go, and spacing is ignored by matching on a compact key
without spaces. Names are normalised all at once with numpy through a per-character table; a query takes an
equivalent plain-Python path.

How typos stay fast. The first ``PREFIX`` characters of every compact key, and every single-character
deletion of them, are hashed ("symmetric deletion"): two keys one insert, delete, substitution or
transposition apart share one of these hashes, and an edit past the window leaves the window equal. Longer
keys get the same for their last ``PREFIX`` characters, so names that share a long beginning are still told
apart. A query hashes its own ~17-34 variants and finds its candidates with ``np.searchsorted`` in one sorted
``uint64`` array (32-bit hash << 32 | row) instead of comparing itself with every name; the hashes for all
names are computed at once on a fixed-width code-point matrix. A sorted array of key prefixes serves
as-you-type, and a word index serves multi-word queries ("wild wings"). rapidfuzz ranks the few candidates.

Memory: names live in UTF-8 buffers with offset arrays and every index is a flat numpy array, so there are
no per-name Python objects; a million names take about 260 MB.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA, Prefix

__all__ = ["BrandIndex", "BrandMatch", "normalize_name", "normalize_names"]

PREFIX = 16  # key characters covered by the typo index; longer keys match on an equal prefix
TOKEN_CHARS = 16  # tokens are hashed on this many characters; a longer collision only adds a candidate
DEFAULT_MIN_SCORE = 70.0  # below this a match is noise, e.g. 2 edits in a 6-character name
RANGE_CAP = 2000  # a hash run larger than this is many names sharing a window: narrowed before ranking
PREFIX_CAP = 100  # as-you-type: keep the shortest completions; short ones rank first anyway
TOKEN_CAP = 200  # a common token ("bank") keeps only its shortest names
CANDIDATE_CAP = 20000  # hard ceiling on what rapidfuzz has to rank for one query
MAX_QUERY = 200  # characters; no brand name is longer, and it bounds the work a hostile query can cause

_EXACT, _ALIAS_EXACT = 100.0, 98.0
_FUZZY_MAX = 97.0  # one typo in a very long name still ranks below an exact alias
_PREFIX_BASE, _TOKEN_BASE, _COVER_WEIGHT = 75.0, 70.0, 20.0
_COVER_POWER = 1.5  # completions fade fast, so a long completion does not outrank a one-typo match
_ALIAS_PENALTY = 1.0  # a name beats an alias that matches equally well
_SHORT_NAME = 4  # one typo in "kfc" or "牛角" is still a typo, not noise

_LEGAL_SUFFIXES = (  # as they look once "." is gone
    "inc",
    "llc",
    "ltd",
    "limited",
    "gmbh",
    "co",
    "corp",
    "corporation",
    "company",
    "sa",
    "ag",
    "plc",
    "lp",
    "llp",
    "nv",
    "bv",
)
_DROPPED = frozenset("'\u2018\u2019`\u02bc.")  # vanish: "levi's" -> "levis", "s.a." -> "sa"
_KANA_VOICING = frozenset("\u3099\u309a")  # ガ is not an accented カ

_SPACE, _NEWLINE = 32, 10
_UNKNOWN = 255
_ASCII = 128

_MASK32 = np.uint64(0xFFFFFFFF)
_BASE = 0x9E3779B97F4A7C15  # odd, so it is invertible modulo 2**64 (needed to hash deletions from prefix sums)
_BASE_INV = pow(_BASE, -1, 2**64)
_MIX = 0xBF58476D1CE4E5B9  # splitmix64's multiplier
_SUFFIX_SALT = 0x5BD1E9955BD1E995  # keeps suffix-window hashes apart from prefix-window ones
_MOD64 = 2**64 - 1
_POWERS64 = [pow(_BASE, j, 2**64) for j in range(TOKEN_CHARS)]
_CHUNK = 1 << 17  # rows per numpy batch while building: bounds the temporary matrices


@dataclass(frozen=True, slots=True)
class BrandMatch:
    id: Any
    name: str
    score: float  # 0..100
    matched: str  # the name or alias that matched
    kind: str  # "exact" | "alias" | "prefix" | "token" | "fuzzy"


# --- characters ---------------------------------------------------------------------------------------------


def _map_char(ch: str) -> str:
    """What one character becomes: lower-case, accents and apostrophes gone, "&" as " and ", other
    punctuation a space.

    Per character this equals NFKD + casefold + dropping combining marks on whole strings, except that
    Hangul syllables and voiced kana stay composed.
    """
    if ch in _DROPPED:
        return ""
    if ch == "\n":
        return ch
    hangul = "\uac00" <= ch <= "\ud7a3"
    text = ch if hangul else unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", ch).casefold())
    out = []
    for x in text:
        category = unicodedata.category(x)
        if x.isalnum() or category == "Mc" or x in _KANA_VOICING:
            out.append(x)
        elif x == "&":
            out.append(" and ")
        elif category not in ("Mn", "Me") and x not in _DROPPED:
            out.append(" ")
    return unicodedata.normalize("NFC", "".join(out))


class _CharMap:
    """``_map_char`` for every code point as arrays, filled in lazily for the characters actually seen."""

    def __init__(self) -> None:
        self.length = np.full(sys.maxunicode + 1, _UNKNOWN, dtype=np.uint8)
        self.single = np.zeros(sys.maxunicode + 1, dtype=np.uint32)
        self.multi: dict[int, np.ndarray] = {}
        self._learn(np.arange(_ASCII))

    def _learn(self, code_points: np.ndarray) -> None:
        for c in code_points.tolist():
            codes = [ord(x) for x in _map_char(chr(c))]
            if codes:
                self.single[c] = codes[0]
            if len(codes) > 1:
                self.multi[c] = np.array(codes[1:], dtype=np.uint32)
            self.length[c] = min(len(codes), _UNKNOWN - 1)  # written last: readers in other threads see it ready

    def apply(self, cp: np.ndarray) -> np.ndarray:
        wide = cp[cp >= _ASCII]  # ASCII is known from the start
        unknown = wide[self.length[wide] == _UNKNOWN]
        if unknown.size:
            self._learn(np.unique(unknown))
        lengths = self.length[cp]
        keep = lengths > 0
        out = self.single[cp] if keep.all() else self.single[cp[keep]]
        multi = np.flatnonzero(lengths > 1)  # rare ("&", "ß", ligatures): insert their extra characters
        if not multi.size:
            return out
        at = multi - np.searchsorted(np.flatnonzero(~keep), multi)  # positions after dropping
        codes = cp[multi]
        where, what = [], []
        for code in np.unique(codes).tolist():
            tail = self.multi[code]
            hits = at[codes == code]
            where.append(np.repeat(hits + 1, len(tail)))
            what.append(np.tile(tail, len(hits)))
        return np.insert(out, np.concatenate(where), np.concatenate(what))


_CHARS = _CharMap()


class _CharText(dict[str, str]):
    """``_map_char`` memoised per character, for normalising one short string in pure Python."""

    def __missing__(self, ch: str) -> str:
        self[ch] = _map_char(ch)
        return self[ch]


_CHAR_TEXT = _CharText()
_ASCII_TABLE = str.maketrans({chr(c): _map_char(chr(c)) for c in range(_ASCII)})


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _decode(cp: np.ndarray) -> str:
    return str(np.ascontiguousarray(cp, dtype=np.uint32).data, "utf-32-le", "surrogatepass")


def _to_utf8(cp: np.ndarray) -> bytes:
    return _decode(cp).encode("utf-8", "surrogatepass")


def _line_bounds(cp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and length of every newline-terminated line."""
    ends = np.flatnonzero(cp == _NEWLINE)
    starts = np.concatenate(([0], ends[:-1] + 1))[: len(ends)].astype(np.int64)
    return starts, ends - starts


def _take_lines(cp: np.ndarray, starts: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """The given lines (each with its newline) concatenated."""
    return cp[_ranges(starts, lens + 1)]


def _token_spans(cp: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start, end, line) of every space-separated token."""
    boundary = ((cp == _SPACE) | (cp == _NEWLINE)).view(np.int8)
    edge = np.ones(1, dtype=np.int8)
    edges = np.flatnonzero(np.diff(np.concatenate((edge, boundary, edge))))
    starts, ends = edges[0::2], edges[1::2]
    return starts, ends, np.searchsorted(np.flatnonzero(cp == _NEWLINE), starts)


# --- hashing ------------------------------------------------------------------------------------------------


@functools.cache
def _powers(width: int) -> np.ndarray:
    return np.array([pow(_BASE, j, 2**64) for j in range(width)], dtype=np.uint64)


def _gather(cp: np.ndarray, starts: np.ndarray, lens: np.ndarray, width: int) -> np.ndarray:
    """(n, width) uint64 matrix of the first ``width`` code points of each string, zero-padded.

    Pass ``_padded(cp, width)`` when gathering from one big array many times.
    """
    if starts.size and int(starts.max()) + width > len(cp):
        cp = _padded(cp, width)
    m = np.lib.stride_tricks.sliding_window_view(cp, width)[starts].astype(np.uint64)
    m[np.arange(width) >= lens[:, None]] = 0
    return m


def _padded(cp: np.ndarray, width: int) -> np.ndarray:
    return np.concatenate((cp, np.zeros(width, dtype=cp.dtype)))


def _poly64(m: np.ndarray) -> np.ndarray:
    """sum(c_j * B**j) mod 2**64 per row; zero padding adds nothing, so trailing padding is ignored."""
    return (m * _powers(m.shape[1])).sum(axis=1, dtype=np.uint64)


def _bucket(h: np.ndarray) -> np.ndarray:
    """Scramble a polynomial hash (its low bits are weak) and keep the top 32 bits, in place, as ``hash << 32``.

    An index stores ``bucket | row`` sorted, so a bucket's rows are one contiguous, searchable run; 32 bits
    are plenty because a collision only adds a candidate that ranking then discards.
    """
    h ^= h >> np.uint64(31)
    h *= np.uint64(_MIX)
    h ^= h >> np.uint64(29)
    h &= ~_MASK32
    return h


def _deletion_hashes(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Polynomial hashes of each key's first PREFIX characters and of every single deletion, with a mask of
    the real ones.

    ``m`` is (n, PREFIX + 1): the extra column slides into the window when a character is deleted. With
    pre[k] = sum(c_j * B**j, j < k), deleting i gives pre[i] + (pre[P+1] - pre[i+1]) / B, all mod 2**64.
    """
    n, width = m.shape
    pre = np.zeros((n, width + 1), dtype=np.uint64)
    np.cumsum(m * _powers(width), axis=1, dtype=np.uint64, out=pre[:, 1:])
    hashes = np.empty((n, width), dtype=np.uint64)
    hashes[:, 0] = pre[:, width - 1]
    np.multiply(pre[:, width:] - pre[:, 1:width], np.uint64(_BASE_INV), out=hashes[:, 1:])
    hashes[:, 1:] += pre[:, : width - 1]
    real = np.ones((n, width), dtype=bool)
    # deleting a padding column is not a deletion; deleting either of two equal neighbours is the same one
    real[:, 1:] = (m[:, : width - 1] != 0) & (m[:, : width - 1] != m[:, 1:])
    return hashes, real


def _runs(packed: np.ndarray, buckets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each bucket's rows are in a sorted ``bucket | row`` array."""
    return np.searchsorted(packed, buckets, "left"), np.searchsorted(packed, buckets | _MASK32, "right")


@dataclass(frozen=True, slots=True)
class _WordSet:
    """A few short words, recognised among tokens by exact 64-bit polynomial hash (no 32-bit buckets)."""

    hashes: np.ndarray
    lengths: np.ndarray
    width: int

    @classmethod
    def of(cls, words: Sequence[str]) -> _WordSet:
        width = max(len(w) for w in words)
        cp = _code_points("".join(w + "\n" for w in words))
        starts, lens = _line_bounds(cp)
        return cls(_poly64(_gather(cp, starts, lens, width)), np.unique(lens), width)

    def contains(self, cp: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Whether each token cp[start:end] is one of the words."""
        lens = ends - starts
        out = np.zeros(len(starts), dtype=bool)
        idx = np.flatnonzero(np.isin(lens, self.lengths))  # cheap filter before hashing
        if idx.size:
            out[idx] = np.isin(_poly64(_gather(cp, starts[idx], lens[idx], self.width)), self.hashes)
        return out


def _word_buckets(words: Sequence[str]) -> np.ndarray:
    """Buckets of whole words exactly as ``_build_tokens`` computes them, in plain Python for a few words."""
    out = []
    for word in words:
        h = sum(ord(c) * p for c, p in zip(word[:TOKEN_CHARS], _POWERS64, strict=False)) & _MOD64
        h ^= h >> 31
        h = (h * _MIX) & _MOD64
        h ^= h >> 29
        out.append(h & ~0xFFFFFFFF)
    return np.array(out, dtype=np.uint64)


_SUFFIXES = _WordSet.of(_LEGAL_SUFFIXES)
_SUFFIX_WORDS = frozenset(_LEGAL_SUFFIXES)
_AND_WORD = _WordSet.of(["and"])


# --- normalisation ------------------------------------------------------------------------------------------


def _collapse(cp: np.ndarray) -> np.ndarray:
    """Single spaces between words and none at either end of a line."""
    space = cp == _SPACE
    cp = cp[~(space & np.concatenate(([True], (space | (cp == _NEWLINE))[:-1])))]
    return cp[~((cp == _SPACE) & np.concatenate(((cp == _NEWLINE)[1:], [True])))]


def _strip_suffixes(cp: np.ndarray) -> np.ndarray:
    """Drop trailing legal suffixes ("inc", "and co", ...) from every line, always keeping one word.

    Works backwards from each line end one word at a time, only on lines that still end in a suffix.
    """
    newlines = np.flatnonzero(cp == _NEWLINE)
    spaces = np.flatnonzero(cp == _SPACE)
    line_starts = np.concatenate(([0], newlines[:-1] + 1))
    end = newlines.copy()
    words = _padded(cp, _SUFFIXES.width)  # padded once, so gathering a word never copies the whole text
    active = np.arange(len(newlines))
    while active.size and spaces.size:
        k = np.searchsorted(spaces, end[active]) - 1  # the space before each line's last word
        active, k = _with_word_before(active, k, spaces, line_starts)
        is_suffix = _SUFFIXES.contains(words, spaces[k] + 1, end[active])
        active, k = active[is_suffix], k[is_suffix]
        end[active] = spaces[k]
        active_and, k_and = _with_word_before(active, k - 1, spaces, line_starts)
        is_and = _AND_WORD.contains(words, spaces[k_and] + 1, end[active_and])
        end[active_and[is_and]] = spaces[k_and[is_and]]  # "levi strauss and co" loses " and co"
    cut = np.flatnonzero(end != newlines)
    if not cut.size:
        return cp
    keep = np.ones(len(cp), dtype=bool)
    keep[_ranges(end[cut], newlines[cut] - end[cut])] = False
    return cp[keep]


def _ranges(starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(start, start + size)`` for every pair, without a Python loop."""
    offsets = np.cumsum(sizes) - sizes
    return np.repeat(starts - offsets, sizes) + np.arange(int(sizes.sum()))


def _with_word_before(
    active: np.ndarray, k: np.ndarray, spaces: np.ndarray, line_starts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Keep the lines whose space number ``k`` exists and lies inside the line (a word remains before it)."""
    ok = (k >= 0) & (spaces[np.maximum(k, 0)] >= line_starts[active])
    return active[ok], k[ok]


def _normalize_cp(text: str) -> tuple[np.ndarray, np.ndarray]:
    """(normalised, spaced) code points of newline-terminated ``text``; spaced still has legal suffixes."""
    spaced = _collapse(_CHARS.apply(_code_points(text)))
    return _strip_suffixes(spaced), spaced


def _normalize_one(text: str) -> tuple[str, str]:
    """(normalised, spaced) for one string, in plain Python: the same result as ``_normalize_cp`` on one
    line, without numpy's per-call overhead (this runs for every query)."""
    mapped = text.translate(_ASCII_TABLE) if text.isascii() else "".join([_CHAR_TEXT[ch] for ch in text])
    words = mapped.split()  # mapped text holds only word characters, spaces and newlines
    spaced = " ".join(words)
    while len(words) > 1 and words[-1] in _SUFFIX_WORDS:
        words.pop()
        if len(words) > 1 and words[-1] == "and":
            words.pop()
    return " ".join(words), spaced


def normalize_name(name: str) -> str:
    """Lower-case, accent-free, punctuation-free form with "&" as "and" and legal suffixes removed.

    >>> normalize_name("Lévi's & Co., Inc.")
    'levis'
    """
    return _normalize_one(name)[0]


def normalize_names(names: Sequence[str]) -> list[str]:
    """``normalize_name`` for many names at once (vectorised, much faster than a loop)."""
    if not names:
        return []
    return _decode(_normalize_cp(_join_lines(names) + "\n")[0]).split("\n")[:-1]


def _join_lines(strings: Sequence[str]) -> str:
    joined = "\n".join(strings)
    if joined.count("\n") != len(strings) - 1:  # a newline inside a name would shift every later line
        joined = "\n".join(s.replace("\n", " ") for s in strings)
    return joined


# --- compact storage ----------------------------------------------------------------------------------------


class _StringTable:
    """Many strings in one UTF-8 buffer plus an offsets array: bytes per string instead of a Python object."""

    __slots__ = ("_blob", "_starts")

    def __init__(self, blob: bytes) -> None:
        """``blob`` holds newline-terminated strings that contain no newline themselves."""
        ends = np.flatnonzero(np.frombuffer(blob, dtype=np.uint8) == _NEWLINE)
        self._blob = blob
        self._starts = np.concatenate(([0], ends + 1)).astype(np.uint32 if len(blob) < 2**32 else np.int64)

    @classmethod
    def from_strings(cls, strings: Sequence[str]) -> _StringTable:
        return cls((_join_lines(strings) + "\n").encode("utf-8", "surrogatepass") if strings else b"")

    def __len__(self) -> int:
        return len(self._starts) - 1

    def __getitem__(self, i: int) -> str:
        return self._blob[int(self._starts[i]) : int(self._starts[i + 1]) - 1].decode("utf-8", "surrogatepass")

    def take(self, rows: np.ndarray) -> list[str]:
        blob = self._blob
        starts = self._starts[rows].tolist()
        ends = (self._starts[rows + 1] - 1).tolist()
        return [blob[s:e].decode("utf-8", "surrogatepass") for s, e in zip(starts, ends, strict=True)]

    @property
    def nbytes(self) -> int:
        return len(self._blob) + self._starts.nbytes


# --- building -----------------------------------------------------------------------------------------------


def _build_deletions(compact: np.ndarray, indexed: np.ndarray) -> np.ndarray:
    """Sorted ``bucket | row`` for the prefix window of every key and its single deletions, and the same for
    the (reversed) suffix window of keys longer than the window."""
    starts, lens = _line_bounds(compact)
    long = np.flatnonzero(indexed & (lens > PREFIX))
    padded = _padded(compact, PREFIX + 1)
    out = _Filler((len(starts) + len(long)) * (PREFIX + 1))
    for lo in range(0, len(starts), _CHUNK):
        rows = np.arange(lo, min(lo + _CHUNK, len(starts)))
        rows = rows[indexed[rows]]
        _add_variants(out, _gather(padded, starts[rows], lens[rows], PREFIX + 1), rows, 0)
    for lo in range(0, len(long), _CHUNK):
        rows = long[lo : lo + _CHUNK]
        ends = starts[rows] + lens[rows] - 1
        _add_variants(out, compact[ends[:, None] - np.arange(PREFIX + 1)].astype(np.uint64), rows, _SUFFIX_SALT)
    return out.sorted()


def _add_variants(out: _Filler, windows: np.ndarray, rows: np.ndarray, salt: int) -> None:
    hashes, real = _deletion_hashes(windows)
    hashes ^= np.uint64(salt)
    out.add(_bucket(hashes[real]), np.repeat(rows.astype(np.uint64), real.sum(axis=1)))


def _build_tokens(spaced: np.ndarray, indexed: np.ndarray) -> np.ndarray:
    """Sorted ``bucket | row`` per word, only for multi-word names (single words are whole keys anyway)."""
    starts, ends, rows = _token_spans(spaced)
    per_row = np.bincount(rows, minlength=len(indexed))
    keep = (per_row[rows] > 1) & indexed[rows]
    starts, ends, rows = starts[keep], ends[keep], rows[keep].astype(np.uint64)
    spaced = _padded(spaced, TOKEN_CHARS)
    out = _Filler(len(starts))
    for lo in range(0, len(starts), _CHUNK):
        sl = slice(lo, lo + _CHUNK)
        out.add(_bucket(_poly64(_gather(spaced, starts[sl], ends[sl] - starts[sl], TOKEN_CHARS))), rows[sl])
    return out.sorted()


class _Filler:
    """Chunks of ``bucket | row`` written into one array sized for the worst case, then trimmed in place.

    Cheaper than collecting chunks and concatenating them: no second copy of a ~100 MB array.
    """

    def __init__(self, capacity: int) -> None:
        self.array = np.empty(capacity, dtype=np.uint64)
        self.size = 0

    def add(self, buckets: np.ndarray, rows: np.ndarray) -> None:
        end = self.size + len(buckets)
        np.bitwise_or(buckets, rows, out=self.array[self.size : end])
        self.size = end

    def sorted(self) -> np.ndarray:
        self.array.resize(self.size, refcheck=False)  # shrinks the allocation without copying
        self.array.sort()
        return self.array


def _build_prefixes(compact_utf8: bytes, indexed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted first PREFIX bytes of every key (UTF-8 order is code-point order) and the row of each."""
    raw = np.frombuffer(compact_utf8, dtype=np.uint8)
    starts, lens = _line_bounds(raw)
    rows = np.flatnonzero(indexed)
    m = np.lib.stride_tricks.sliding_window_view(_padded(raw, PREFIX), PREFIX)[starts[rows]]
    m[np.arange(PREFIX) >= lens[rows][:, None]] = 0
    halves = m.view(">u8")  # big-endian: numeric order of each 8-byte half is byte order
    order = np.lexsort((halves[:, 1], halves[:, 0]))
    return m[order].view(f"S{PREFIX}").ravel(), rows[order].astype(np.uint32)


def _release_free_memory() -> None:
    """Hand the build's freed temporaries back to the OS (glibc keeps ~100 MB of them otherwise), so a
    worker's resident memory after building is about what the index keeps."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL(None).malloc_trim(0)


def _collect(brands: Iterable[tuple[Any, str, Iterable[str] | None]]) -> tuple[list, list, list, list]:
    ids: list[Any] = []
    names: list[str] = []
    aliases: list[str] = []
    owners: list[int] = []
    add_id, add_name = ids.append, names.append
    for brand_id, name, brand_aliases in brands:
        if brand_aliases:
            for alias in brand_aliases:
                aliases.append(alias)
                owners.append(len(names))
        add_id(brand_id)
        add_name(name)
    return ids, names, aliases, owners


def _id_store(ids: list[Any]) -> np.ndarray | tuple[Any, ...]:
    """Integer ids (the database case) as one int64 array; anything else as given."""
    try:
        array = np.array(ids)
    except (OverflowError, ValueError):
        return tuple(ids)
    return array.astype(np.int64) if array.dtype.kind == "i" and array.ndim == 1 else tuple(ids)


@dataclass(slots=True)
class _Entries:
    """Searchable strings: every name, every alias, and the plain form of those whose plain form differs.

    Row r comes from ``source[r]`` (an index into names + aliases, so sources >= n_names are aliases).
    ``spaced`` and ``compact`` (code points, newline-terminated rows) are build-time material only.
    """

    source: np.ndarray
    brand: np.ndarray
    texts: _StringTable
    key_len: np.ndarray
    indexed: np.ndarray
    spaced: np.ndarray
    compact: np.ndarray


def _entries(names: list[str], aliases: list[str], owners: list[int]) -> _Entries:
    strings = names + aliases
    norm, spaced = _normalize_cp(_join_lines(strings) + "\n" if strings else "")
    norm_lens = _line_bounds(norm)[1]
    extra, extra_cp = _plain_extras(strings, spaced, norm_lens)
    all_spaced = np.concatenate((norm, extra_cp))
    source = np.concatenate((np.arange(len(strings)), extra)).astype(np.uint32)
    owner = np.concatenate((np.arange(len(names)), np.asarray(owners, dtype=np.int64))).astype(np.uint32)
    compact = all_spaced[all_spaced != _SPACE]
    lens = _line_bounds(compact)[1]
    texts = _StringTable(_to_utf8(all_spaced))
    useful = _useful_sources(len(names), len(strings), texts, owner)
    return _Entries(
        source=source,
        brand=owner[source],
        texts=texts,
        key_len=lens.astype(np.uint16 if lens.max(initial=0) < 2**16 else np.uint32),
        indexed=(lens > 0) & useful[source],
        spaced=all_spaced,
        compact=compact,
    )


def _plain_extras(strings: list[str], spaced: np.ndarray, norm_lens: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose plain form (legal suffix kept, "&" read as a space) differs, and those plain lines.

    Indexing them too keeps a typo inside "Inc." or "&" (or one that creates a suffix) one edit from a key.
    A row with "&" always differs: its normalised form has an extra "and".
    """
    starts, lens = _line_bounds(spaced)
    amp = np.array([i for i, s in enumerate(strings) if "&" in s], dtype=np.int64)
    differs = lens != norm_lens  # only suffix stripping shortens a line
    differs[amp] = False
    rows = np.flatnonzero(differs)
    lines = _take_lines(spaced, starts[rows], lens[rows])
    if not amp.size:
        return rows, lines
    amp_plain = _normalize_cp(_join_lines([strings[i].replace("&", " ") for i in amp]) + "\n")[1]
    return np.concatenate((rows, amp)), np.concatenate((lines, amp_plain))


def _useful_sources(n_names: int, n_sources: int, texts: _StringTable, owner: np.ndarray) -> np.ndarray:
    """False for aliases that normalise to their own brand's name: they would only duplicate candidates."""
    useful = np.ones(n_sources, dtype=bool)
    alias_rows = np.arange(n_names, n_sources)
    if alias_rows.size:
        pairs = zip(texts.take(alias_rows), texts.take(owner[alias_rows].astype(np.int64)), strict=True)
        useful[n_names:] = [a != b for a, b in pairs]
    return useful


# --- the index ----------------------------------------------------------------------------------------------

_KINDS = ("exact", "prefix", "token", "fuzzy")
_COMPLETIONS = (1, 2)  # prefix and token matches
_TYPO_PLACES = 3  # of every ten results, kept for typo matches when completions would fill them all
_EMPTY = np.zeros(0, dtype=np.int64)
_MAX_INTERSECTIONS = 4  # big runs intersected at most; each costs a binary search per remaining row


@dataclass(frozen=True, slots=True)
class _Form:
    """One way of reading the query: its normalised text, compact key and the key's code points."""

    spaced: str
    compact: str
    cp: np.ndarray


class BrandIndex:
    """Search brands by name or alias: exact first, then as-you-type prefixes, whole words and typos.

    ``brands`` yields ``(id, name, aliases)`` (aliases may be None); it is read once, so a database
    iterator is fine. Ids come back as given. Matches scoring below ``min_score`` are never returned.
    The index is read-only after construction and safe to share between threads.
    """

    def __init__(
        self,
        brands: Iterable[tuple[Any, str, Iterable[str] | None]],
        *,
        min_score: float = DEFAULT_MIN_SCORE,
    ) -> None:
        ids, names, aliases, owners = _collect(brands)
        self.min_score = min_score
        self._ids = _id_store(ids)
        self._n = len(names)
        self._display = _StringTable.from_strings(names + aliases)
        entries = _entries(names, aliases, owners)
        del ids, names, aliases, owners
        self._source, self._brand = entries.source, entries.brand
        self._texts, self._key_len = entries.texts, entries.key_len
        self._deletions = _build_deletions(entries.compact, entries.indexed)
        self._tokens = _build_tokens(entries.spaced, entries.indexed)
        self._prefix_keys, self._prefix_rows = _build_prefixes(_to_utf8(entries.compact), entries.indexed)
        del entries
        _release_free_memory()

    def __len__(self) -> int:
        return self._n

    def memory_bytes(self) -> int:
        """Bytes held by the index's buffers and arrays (the per-object overhead is a few hundred bytes)."""
        arrays = (self._source, self._brand, self._key_len, self._deletions, self._tokens)
        total = sum(a.nbytes for a in arrays) + self._prefix_keys.nbytes + self._prefix_rows.nbytes
        ids = self._ids.nbytes if isinstance(self._ids, np.ndarray) else sys.getsizeof(self._ids)
        return total + ids + self._display.nbytes + self._texts.nbytes

    def search(self, query: str, limit: int = 10) -> list[BrandMatch]:
        """Best matches first, at most ``limit``, one per brand; [] when nothing scores ``min_score``."""
        if limit <= 0 or not self._n:
            return []
        forms = _query_forms(query[:MAX_QUERY])
        if not forms:
            return []
        rows, has_words = self._candidates(forms)
        return self._rank(forms, rows, has_words, limit) if rows.size else []

    # candidates ---------------------------------------------------------------------------------------------

    def _candidates(self, forms: list[_Form]) -> tuple[np.ndarray, np.ndarray]:
        """Candidate rows, and which of them hold every query word (only those can be token matches)."""
        token_rows = self._token_rows(forms[0].spaced)
        parts = [self._typo_rows(form.cp) for form in forms]
        parts += [self._prefix_rows_for(form.compact) for form in forms]
        rows = np.concatenate([*parts, token_rows])
        if len(rows) > CANDIDATE_CAP:
            unique, first = np.unique(rows, return_index=True)  # keep the earliest (typo, then prefix) ones
            rows = unique[np.sort(np.argsort(first, kind="stable")[:CANDIDATE_CAP])]
        rows = np.unique(rows)
        return rows, np.isin(rows, token_rows)

    def _typo_rows(self, cp: np.ndarray) -> np.ndarray:
        """Rows one edit from the query inside the prefix window (or, for long keys, the suffix window)."""
        lo, hi = _runs(self._deletions, _query_buckets(cp))
        parts, big = [_EMPTY], []
        for a, b in zip(lo.tolist(), hi.tolist(), strict=True):
            if b - a > RANGE_CAP:
                big.append((a, b))
            elif b > a:
                parts.append(self._rows(a, b))
        if big:
            parts.append(self._narrow(big, len(cp)))
        return np.concatenate(parts)

    def _rows(self, a: int, b: int) -> np.ndarray:
        return (self._deletions[a:b] & _MASK32).astype(np.int64)

    def _narrow(self, big: list[tuple[int, int]], length: int) -> np.ndarray:
        """Runs too big to rank come from many names sharing a window; the typo'd name is in each of them.

        Start from the smallest, keep keys of a length one edit can reach, and intersect with the next
        smallest runs while it is still too big.
        """
        big.sort(key=lambda run: run[1] - run[0])
        rows = self._rows(*big[0])
        rows = rows[np.abs(self._key_len[rows].astype(np.int64) - length) <= 1]
        for a, b in big[1:_MAX_INTERSECTIONS]:
            if len(rows) <= RANGE_CAP:
                break
            rows = rows[_sorted_contains(self._rows(a, b), rows)]
        return rows[:RANGE_CAP]

    def _prefix_rows_for(self, compact: str) -> np.ndarray:
        key = compact.encode("utf-8", "surrogatepass")
        head = key[:PREFIX]
        lo = int(np.searchsorted(self._prefix_keys, head, "left"))
        hi = int(np.searchsorted(self._prefix_keys, head + b"\xff" * (PREFIX - len(head)), "right"))
        rows = self._prefix_rows[lo:hi].astype(np.int64)
        if len(rows) <= PREFIX_CAP:
            return rows
        lens = self._key_len[rows].astype(np.int64)
        if len(key) > PREFIX:  # the head is shared by long names; only long-enough ones can extend the query
            rows, lens = rows[lens >= len(compact)], lens[lens >= len(compact)]
        return rows if len(rows) <= PREFIX_CAP else rows[np.argpartition(lens, PREFIX_CAP)[:PREFIX_CAP]]

    def _token_rows(self, spaced: str) -> np.ndarray:
        """Names containing every query word (when most names contain them, the shortest such names)."""
        words = sorted(set(spaced.split()))
        if not words or not self._tokens.size:
            return _EMPTY
        lo, hi = _runs(self._tokens, _word_buckets(words))
        order = np.argsort(hi - lo)
        rows = (self._tokens[lo[order[0]] : hi[order[0]]] & _MASK32).astype(np.int64)
        for i in order[1:]:
            other = (self._tokens[lo[i] : hi[i]] & _MASK32).astype(np.int64)
            if not other.size:
                return _EMPTY
            rows = rows[_sorted_contains(other, rows)]
        if len(rows) > TOKEN_CAP:
            rows = rows[np.argpartition(self._key_len[rows], TOKEN_CAP)[:TOKEN_CAP]]
        return rows

    # ranking ------------------------------------------------------------------------------------------------

    def _rank(self, forms: list[_Form], rows: np.ndarray, has_words: np.ndarray, limit: int) -> list[BrandMatch]:
        texts = self._texts.take(rows)
        candidates = _Candidates(
            texts=texts,
            keys=[t.replace(" ", "") for t in texts],
            key_len=self._key_len[rows].astype(np.float64),
            alias=self._source[rows] >= self._n,
            has_words=has_words,
        )
        alias = candidates.alias
        best = np.full(len(rows), -1.0)
        kind = np.zeros(len(rows), dtype=np.int64)
        for form in forms:
            score, k = _form_scores(form, candidates)
            better = score > best
            best, kind = np.where(better, score, best), np.where(better, k, kind)
        # ties (several names one typo away) go to the one whose spacing matches the query too
        spacing = process.cdist([forms[0].spaced], texts, scorer=OSA.normalized_similarity, workers=1)[0]
        keep = np.flatnonzero(best >= self.min_score)
        order = keep[np.lexsort((rows[keep], -spacing[keep], -best[keep]))]
        return self._matches(rows[order], best[order], kind[order], alias[order], limit)

    def _matches(
        self, rows: np.ndarray, scores: np.ndarray, kinds: np.ndarray, alias: np.ndarray, limit: int
    ) -> list[BrandMatch]:
        out = []
        for pos in _pick(self._brand[rows].tolist(), kinds.tolist(), limit):
            row, kind, brand = int(rows[pos]), int(kinds[pos]), int(self._brand[rows[pos]])
            label = "alias" if kind == 0 and alias[pos] else _KINDS[kind]
            matched = self._display[int(self._source[row])]
            out.append(BrandMatch(self._id(brand), self._display[brand], round(float(scores[pos]), 1), matched, label))
        return out

    def _id(self, brand: int) -> Any:
        value = self._ids[brand]
        return int(value) if isinstance(self._ids, np.ndarray) else value


def _sorted_contains(haystack: np.ndarray, needles: np.ndarray) -> np.ndarray:
    """Which needles are in ``haystack``, which is sorted (rows within one run are): a binary search each."""
    return haystack[np.minimum(np.searchsorted(haystack, needles), len(haystack) - 1)] == needles


def _pick(brands: list[int], kinds: list[int], limit: int) -> list[int]:
    """Positions (in best-first order) of the results: one per brand, and completions (prefix or word
    matches) leave a few places to the best typo matches, so "did you mean" survives a popular prefix."""
    room = limit - limit * _TYPO_PLACES // 10
    picked: list[int] = []
    held: list[int] = []
    seen: set[int] = set()
    completions = 0
    for pos, (brand, kind) in enumerate(zip(brands, kinds, strict=True)):
        if brand in seen:
            continue
        seen.add(brand)
        is_completion = kind in _COMPLETIONS
        if is_completion and completions >= room:
            held.append(pos)
            continue
        completions += is_completion
        picked.append(pos)
        if len(picked) == limit:
            break
    return sorted(picked + held[: limit - len(picked)])


def _query_buckets(cp: np.ndarray) -> np.ndarray:
    """The buckets ``_build_deletions`` would give this key: its prefix window, and the suffix window when
    the key is long enough for a name one edit away to have one."""
    windows = [(_gather(cp, np.zeros(1, np.int64), np.array([len(cp)]), PREFIX + 1), 0)]
    if len(cp) >= PREFIX:
        tail = cp[::-1][: PREFIX + 1]
        windows.append((_gather(tail, np.zeros(1, np.int64), np.array([len(tail)]), PREFIX + 1), _SUFFIX_SALT))
    buckets = []
    for window, salt in windows:
        hashes, real = _deletion_hashes(window)
        buckets.append(_bucket(hashes[real] ^ np.uint64(salt)))
    return np.unique(np.concatenate(buckets))


def _query_forms(query: str) -> list[_Form]:
    """The normalised query and, when it differs, its plain form (suffixes kept, "&" as a space)."""
    norm, plain = _normalize_one(query)
    if "&" in query:
        plain = _normalize_one(query.replace("&", " "))[1]
    forms: list[_Form] = []
    for spaced in dict.fromkeys((norm, plain)):
        compact = spaced.replace(" ", "")
        if compact:
            forms.append(_Form(spaced, compact, _code_points(compact)))
    return forms


@dataclass(frozen=True, slots=True)
class _Candidates:
    texts: list[str]  # normalised, with spaces
    keys: list[str]  # compact
    key_len: np.ndarray
    alias: np.ndarray
    has_words: np.ndarray  # found through the word index: may contain every query word


def _form_scores(form: _Form, c: _Candidates) -> tuple[np.ndarray, np.ndarray]:
    """Score every candidate against one form of the query; returns (score, kind code) arrays.

    Exact beats alias beats prefix/token/typo; a prefix or token match scores higher the more of the name
    it covers, and a typo scores by rapidfuzz's OSA (Damerau) distance on the compact keys, where one edit
    in a name of four characters or fewer still counts as a plausible typo.
    """
    compact = form.compact
    distance = process.cdist([compact], c.keys, scorer=OSA.distance, workers=1)[0]
    shared = process.cdist([compact], c.keys, scorer=Prefix.similarity, workers=1)[0]
    exact = distance == 0
    prefix = (shared == len(compact)) & ~exact
    token = np.zeros(len(c.keys), dtype=bool)
    wanted = set(form.spaced.split())
    for i in np.flatnonzero(c.has_words & ~exact).tolist():  # a few hundred at most
        token[i] = wanted.issubset(c.texts[i].split())
    longest = np.maximum(np.maximum(c.key_len, len(compact)), _SHORT_NAME)
    cover = _COVER_WEIGHT * np.minimum(len(compact) / np.maximum(c.key_len, 1), 1.0) ** _COVER_POWER
    penalty = np.where(c.alias, _ALIAS_PENALTY, 0.0)
    table = np.stack(
        (
            np.where(exact, np.where(c.alias, _ALIAS_EXACT, _EXACT), 0.0),
            np.where(prefix, _PREFIX_BASE + cover - penalty, 0.0),
            np.where(token, _TOKEN_BASE + cover - penalty, 0.0),
            np.minimum(100.0 * (1.0 - distance / longest), _FUZZY_MAX) - penalty,
        )
    )
    kind = table.argmax(axis=0)  # first maximum: exact > prefix > token > fuzzy on a tie
    return table[kind, np.arange(len(c.keys))], kind
