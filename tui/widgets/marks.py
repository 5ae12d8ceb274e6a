"""What is drawn over an article's text (annotations, suggestions), and the article's marks in text order.

A 1 MB article can have 28,000 suggestions: as tuples with their own ints and
strings they took about 300 bytes each, held twice. ``Marks`` keeps offsets and
ids in arrays and each distinct look (kind, layer, label ...) once, 24 bytes a
mark, and makes a ``Mark`` only when one is asked for.
"""
from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence, Set
from functools import lru_cache
from itertools import accumulate, compress, islice, repeat
from typing import NamedTuple

from annotations.display import safe_text

# Outline rows read at a time: a 1 MB article's 28,000 suggestions read all at once, as rows and then
# as columns of Python ints and strings, took 10 MiB more at their peak than their arrays keep.
OUTLINE_BATCH = 2048

# Marks a write takes out of the drawn ones that are each looked for by id; more are found in one pass.
_SEARCHED = 16
_FLIPPED = bytes.maketrans(b"\x00\x01", b"\x01\x00")  # a mask of the marks kept -> of those taken out


class Mark(NamedTuple):
    """Something drawn over the text: an annotation or a suggestion."""

    start: int
    end: int
    kind: str  # "span" or "suggestion"
    layer: str
    label: str
    id: int
    actor_id: str | None = None
    agreed: bool | None = None  # review: whether all annotators agree on it
    owner: str = ""  # review: who made it

    @property
    def tag(self) -> str:
        return _tag(self.label, self.actor_id, self.kind, self.owner)


@lru_cache(maxsize=4096)
def _tag(label: str, actor_id: str | None, kind: str, owner: str) -> str:
    """``[LABEL@actor? owner]``, made once per look (thousands of marks share a few)."""
    actor = f"@{actor_id}" if actor_id else ""
    owner = f" {owner}" if owner else ""
    return safe_text(f"[{label}{actor}{'?' if kind == 'suggestion' else ''}{owner}]")


def text_order(mark: Mark) -> tuple:
    """Marks are kept in this order: by start, the longer first, then by layer and id."""
    return mark.start, -mark.end, mark.layer, mark.id


class Marks(Sequence[Mark]):
    """Marks in text order (``text_order``), held as arrays: starts, ends, ids and which look."""

    def __init__(self, marks: Iterable[Mark] = ()):
        """Any marks, put in text order."""
        starts, ends, ids, looks = array("i"), array("i"), array("q"), array("I")
        found: dict[tuple, int] = {}
        in_order, last = True, None
        for mark in marks:
            starts.append(mark.start)
            ends.append(mark.end)
            ids.append(mark.id)
            look = mark[2:5] + mark[6:]  # kind, layer, label, actor_id, agreed, owner
            looks.append(found.setdefault(look, len(found)))
            if in_order:
                key = text_order(mark)
                in_order, last = last is None or last <= key, key
        self._hold(starts, ends, ids, looks, list(found))
        if not in_order:
            order = sorted(range(len(starts)), key=self._key)
            self._hold(*(array(column.typecode, (column[i] for i in order)) for column in (starts, ends, ids, looks)),
                       self._looks)

    @classmethod
    def outlines(cls, kind: str, rows: Iterable[Sequence]) -> Marks:
        """Marks of one kind from the store's outline rows, (id, layer, label, start, end[, actor_id]),
        which come in text order: read OUTLINE_BATCH rows at a time, a column at a time (after Y,
        thousands), no Mark made."""
        starts, ends, ids, looks = array("i"), array("i"), array("q"), array("I")
        found: dict[tuple, int] = {}  # layer, label, actor -> which look
        rows = iter(rows)
        while batch := list(islice(rows, OUTLINE_BATCH)):
            columns = list(zip(*batch))
            ids.extend(columns[0])
            starts.extend(columns[3])
            ends.extend(columns[4])
            keys = list(zip(columns[1], columns[2], columns[5] if len(columns) > 5 else repeat(None)))
            for key in dict.fromkeys(keys):  # the batch's looks, each once, in the order met
                found.setdefault(key, len(found))
            looks.extend(map(found.__getitem__, keys))
        marks = cls.__new__(cls)
        marks._hold(starts, ends, ids, looks, [(kind, layer, label, actor, None, "") for layer, label, actor in found])
        return marks

    def _hold(self, starts: array, ends: array, ids: array, looks: array, distinct: list[tuple]) -> None:
        self.starts, self.ends, self.ids, self.looks, self._looks = starts, ends, ids, looks, distinct
        self._reached: array | None = None

    @property
    def _reach(self) -> array:
        """reach[i]: the furthest end of marks 0..i (never decreases), to find the marks over a range; made
        when first asked (a write's marks taken out, and the steps between, are never asked)."""
        if self._reached is None:
            self._reached = array("i", accumulate(self.ends, max))
        return self._reached

    def _key(self, i: int) -> tuple:
        """``text_order`` of mark ``i``, from the arrays."""
        return self.starts[i], -self.ends[i], self._looks[self.looks[i]][1], self.ids[i]

    def merged(self, other: Marks) -> Marks:
        """These marks and ``other``'s (both in text order) in text order: the fewer are slotted in among
        the others by bisection (an article's few spans among its thousands of suggestions)."""
        if not other:
            return self
        if not self:
            return other
        many, few = (self, other) if len(self) >= len(other) else (other, self)
        looks = list(many._looks)  # each distinct look held once: few's as indices into these
        found = {look: n for n, look in enumerate(looks)}
        mapped = []
        for look in few._looks:
            if look not in found:
                found[look] = len(looks)
                looks.append(look)
            mapped.append(found[look])
        columns = [array(typecode) for typecode in "iiqI"]
        done = 0
        for n in range(len(few)):
            key = few._key(n)
            at = bisect_left(many.starts, few.starts[n], lo=done)
            while at < len(many) and many.starts[at] == few.starts[n] and many._key(at) < key:
                at += 1
            for column, source, mine in zip(columns, (many.starts, many.ends, many.ids, many.looks),
                                            (few.starts[n], few.ends[n], few.ids[n], mapped[few.looks[n]])):
                column.extend(source[done:at])
                column.append(mine)
            done = at
        for column, source in zip(columns, (many.starts, many.ends, many.ids, many.looks)):
            column.extend(source[done:])
        marks = Marks.__new__(Marks)
        marks._hold(*columns, looks)
        return marks

    def without(self, gone: Mapping[str, Collection[int]]) -> tuple[Marks, Marks]:
        """These marks less those of each kind whose id is given (``{kind: ids}``), and the marks taken out:
        a few each found by its id (a search of the ids in C), many (Y, its undo) by masks made in C (the
        marks with one of the ids, those of the kind, both); the columns are copied in C."""
        if sum(map(len, gone.values())) <= _SEARCHED:
            out = bytearray(len(self))
            for kind, ids in gone.items():
                for mark_id in ids:
                    at = -1
                    while True:
                        try:
                            at = self.ids.index(mark_id, at + 1)
                        except ValueError:
                            break
                        if self._looks[self.looks[at]][0] == kind:
                            out[at] = 1
                            break
        else:
            taken = 0
            for kind, ids in gone.items():
                ids = ids if isinstance(ids, Set) else set(ids)
                hit = int.from_bytes(bytes(map(ids.__contains__, self.ids)), "big")
                of_kind = [look[0] == kind for look in self._looks]
                if not all(of_kind):
                    hit &= int.from_bytes(bytes(map(of_kind.__getitem__, self.looks)), "big")
                taken |= hit
            out = taken.to_bytes(len(self), "big")
        if not any(out):
            return self, Marks()
        if all(out):  # all of them (Y takes every open suggestion)
            return Marks(), self
        keep = out.translate(_FLIPPED)
        return self._chosen(keep), self._chosen(out)

    def relabelled(self, kind: str, ids: Iterable[int]) -> Marks:
        """These marks as marks of another kind, with these ids in order (which must keep the text order:
        ids rising where marks tie on everything else), e.g. accepted suggestions as the spans made of them."""
        marks = Marks.__new__(Marks)
        marks._hold(self.starts, self.ends, array("q", ids), self.looks, [(kind, *look[1:]) for look in self._looks])
        return marks

    def _chosen(self, mask: bytes) -> Marks:
        """The marks where ``mask`` holds 1, in order."""
        marks = Marks.__new__(Marks)
        marks._hold(*(array(column.typecode, compress(column, mask))
                      for column in (self.starts, self.ends, self.ids, self.looks)), self._looks)
        return marks

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[n] for n in range(*i.indices(len(self)))]
        look = self._looks[self.looks[i]]
        return Mark(self.starts[i], self.ends[i], *look[:3], self.ids[i], *look[3:])

    def __iter__(self) -> Iterator[Mark]:
        for i in range(len(self.starts)):
            yield self[i]

    def index(self, mark: Mark, start: int = 0, stop: int | None = None) -> int:
        """Where ``mark`` is (ValueError if it is not), found by its start."""
        i = max(bisect_left(self.starts, mark.start), start)
        stop = len(self) if stop is None else stop
        while i < stop and self.starts[i] == mark.start:
            if self[i] == mark:
                return i
            i += 1
        raise ValueError(f"{mark!r} is not among the marks")

    def __contains__(self, mark) -> bool:
        try:
            self.index(mark)
        except (ValueError, AttributeError):
            return False
        return True

    def over(self, start: int, end: int) -> list[Mark]:
        """The marks overlapping ``start``-``end``, in text order, found by bisection: the first whose
        run reaches past ``start`` up to the last starting before ``end``."""
        first = bisect_right(self._reach, start)
        last = bisect_left(self.starts, end, lo=first)
        ends = self.ends
        return [self[i] for i in range(first, last) if ends[i] > start]

    def tag_cells(self, kinds: Collection[str]) -> dict[int, int]:
        """Offset -> cells of the tags (``Mark.tag``) drawn there, after the marks of these kinds that end
        there: from the arrays, each distinct look's tag measured once (no Mark made)."""
        widths = [len(_tag(look[2], look[3], look[0], look[5])) if look[0] in kinds else 0 for look in self._looks]
        if not any(widths):  # none of these kinds (suggestions where colours show them)
            return {}
        cells: dict[int, int] = {}
        get = cells.get
        for end, look in zip(self.ends, self.looks):
            width = widths[look]
            if width:
                cells[end] = get(end, 0) + width
        return cells

    def having(self, kind: str, ids: Collection[int]) -> Iterator[Mark]:
        """The marks of this kind whose id is one of ``ids``, in text order."""
        wanted = {n for n, look in enumerate(self._looks) if look[0] == kind}
        for i, (mark_id, look) in enumerate(zip(self.ids, self.looks)):
            if mark_id in ids and look in wanted:
                yield self[i]
