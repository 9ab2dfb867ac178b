"""The columns of a fit, held compactly and read a block of rows at a time.

At a million outcomes the learned model's columns (76 card features, 16 shape and blank terms,
up to 24 pairs, the card's log-odds and a constant) are some 950 MB as one float64 array, and a
fold's refit copied 80 % of them again. A :class:`Design` keeps each column in the narrowest
float that holds every one of its values exactly: float16 for the 1-5 answers mapped to -1..1,
yes/no, their products with the context and with each other, blanks (small multiples of 1/4);
float64 for everything computed from the length ratio and for the card's log-odds. Every value
is checked as it is stored, and a run of columns with a value that its type would round is
widened (float16, float32, float64), never rounded. A fold is the same columns with a list of
rows, never a copy. The fit reads it as float64, ``BLOCK_ROWS`` rows at a time, so every value
it computes with is the value the float64 array held: the blocks change the memory, not the
numbers (the one sum over all rows that is split, the Newton gradient, is added block after
block in a fixed order).
"""

from __future__ import annotations

import numpy as np

__all__ = ["BLOCK_ROWS", "Design", "FrameRows", "NARROW", "as_frame", "dense", "exact_in_float32"]

#: Rows read at a time (the card prior's Hessian is summed over blocks of the same rows).
BLOCK_ROWS = 65_536


#: The types a column may be stored in, narrowest first.
NARROW = (np.float16, np.float32, np.float64)


def exact_in_float32(name: str) -> bool:
    """Whether a column's values are small multiples of 1/4 (exact in float16 and float32):
    everything but what is computed from the length ratio (``interview_length...``: a ratio
    of minutes, stored as float64 from the start). Checked on every value when the column is
    stored: a column that holds another value is widened, not rounded."""
    return "interview_length" not in name or name == "interview_length:recorded"


def _narrowest(array: np.ndarray, values: np.ndarray, start: int, stop: int) -> np.ndarray:
    """``array`` holding ``values`` exactly at rows ``start:stop``: the same array, or one of a
    wider type (``NARROW``) with the rows before ``start`` copied into it, exactly."""
    while True:
        array[start:stop] = values
        if array.dtype == np.float64 or np.array_equal(array[start:stop], values, equal_nan=True):
            return array
        wider = np.empty(array.shape, dtype=NARROW[NARROW.index(array.dtype.type) + 1])
        wider[:start] = array[:start]
        array = wider


class Design:
    """Columns (``m``) over rows, stored as pieces (an array and the columns it holds), read
    as float64 blocks of rows. ``rows``: the row numbers of a subset of the stored rows (a
    fold), or None for all."""

    def __init__(self, n: int, pieces=(), rows: np.ndarray | None = None):
        self.n_stored = int(n)
        self.pieces = list(pieces)  # (array, columns, local): local arrays have one row per row of the subset
        self.rows = rows

    # -- shape ---------------------------------------------------------------------------
    @property
    def m(self) -> int:
        return sum(len(columns) for _, columns, _ in self.pieces)

    def __len__(self) -> int:
        return self.n_stored if self.rows is None else len(self.rows)

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self), self.m)

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a, _, _ in self.pieces)

    # -- building ------------------------------------------------------------------------
    def add(self, names, fill) -> "Design":
        """Append the columns ``names``; ``fill(start, stop)`` gives their float64 values for
        the stored rows ``start:stop``. Each run of neighbouring columns is stored in the
        narrowest type of ``NARROW`` that holds every one of its values exactly (the columns
        ``exact_in_float32`` names start at float16, the others are float64)."""
        if self.rows is not None:
            raise ValueError("columns are added to the stored rows, not to a subset")
        names = list(names)
        if not names:
            return self
        exact = np.array([exact_in_float32(name) for name in names], dtype=bool)
        at = self.m
        # one array per run of neighbouring columns of one kind: a block is then filled by
        # slices, not by scattered columns
        cuts = [0, *(np.flatnonzero(exact[1:] != exact[:-1]) + 1).tolist(), len(names)]
        runs = [[a, b, np.empty((self.n_stored, b - a), dtype=NARROW[0] if exact[a] else np.float64)]
                for a, b in zip(cuts[:-1], cuts[1:])]
        for start in range(0, self.n_stored, BLOCK_ROWS):
            stop = min(start + BLOCK_ROWS, self.n_stored)
            block = fill(start, stop)
            if block.shape != (stop - start, len(names)):
                raise AssertionError(f"fill gave {block.shape}, expected {(stop - start, len(names))}")
            for run in runs:
                run[2] = _narrowest(run[2], block[:, run[0] : run[1]], start, stop)
        self.pieces += [(array, np.arange(at + a, at + b), False) for a, b, array in runs]
        return self

    def with_columns(self, values: np.ndarray) -> "Design":
        """This design with ``values`` (float64, one row per row of this design) as more columns."""
        values = np.asarray(values, dtype=np.float64)
        if values.ndim == 1:
            values = values[:, None]
        columns = np.arange(self.m, self.m + values.shape[1])
        return Design(self.n_stored, [*self.pieces, (values, columns, True)], self.rows)

    def subset(self, rows: np.ndarray) -> "Design":
        """The same columns on ``rows`` (positions in this design), without copying them."""
        if any(local for _, _, local in self.pieces):
            raise ValueError("a design with columns of its own rows cannot be subset")
        rows = np.asarray(rows)
        return Design(self.n_stored, self.pieces, rows if self.rows is None else self.rows[rows])

    def first(self, k: int) -> "Design":
        """The first ``k`` columns."""
        pieces = []
        for array, columns, local in self.pieces:
            keep = columns < k
            if keep.all():
                pieces.append((array, columns, local))
            elif keep.any():
                pieces.append((array[:, keep], columns[keep], local))
        return Design(self.n_stored, pieces, self.rows)

    # -- reading -------------------------------------------------------------------------
    def block(self, start: int, stop: int) -> np.ndarray:
        """Rows ``start:stop`` of this design as one float64 array (C order)."""
        stop = min(stop, len(self))
        where = slice(start, stop) if self.rows is None else self.rows[start:stop]
        out = np.empty((stop - start, self.m))
        for array, columns, local in self.pieces:
            target = out[:, columns[0] : columns[-1] + 1] if columns[-1] - columns[0] == len(columns) - 1 else None
            if local or self.rows is None:
                part = array[start:stop]
                if target is not None:
                    target[...] = part
                else:
                    out[:, columns] = part
            elif target is not None:
                target[...] = array[where]
            else:
                out[:, columns] = array[where]
        return out

    def blocks(self):
        """(start, float64 block) over the rows, ``BLOCK_ROWS`` at a time."""
        for start in range(0, len(self), BLOCK_ROWS):
            yield start, self.block(start, start + BLOCK_ROWS)

    def take(self, rows: np.ndarray) -> np.ndarray:
        """The rows ``rows`` as one float64 array (for a few rows: a subsample)."""
        return self.subset(rows).block(0, len(rows))

    def __matmul__(self, theta: np.ndarray) -> np.ndarray:
        """Each row's product with ``theta`` (row by row: the blocks do not change it)."""
        out = np.empty(len(self))
        for start, block in self.blocks():
            out[start : start + len(block)] = block @ theta
        return out

    def rmatvec(self, r: np.ndarray) -> np.ndarray:
        """``Z' r``, added block after block in the order of the rows."""
        total = np.zeros(self.m)
        for start, block in self.blocks():
            total += block.T @ r[start : start + len(block)]
        return total


def dense(Z) -> np.ndarray:
    """``Z`` as one float64 array (for small designs: a subsample)."""
    return Z.block(0, len(Z)) if isinstance(Z, Design) else np.asarray(Z)


class FrameRows:
    """The rows ``rows`` of a signal frame, never copied whole: ``.iloc[where]`` gives the
    frame of the rows ``rows[where]`` (a block of them, a subsample). A fold of the training
    set is the full frame with its rows: at a million outcomes a copy of the fold's signals
    is some 190 MB beside the full frame."""

    def __init__(self, frame, rows: np.ndarray):
        self.frame = frame
        self.rows = np.asarray(rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def iloc(self) -> "FrameRows":
        return self

    def __getitem__(self, where):
        return self.frame.iloc[self.rows[where]]


def as_frame(typed):
    """``typed`` as a frame: a :class:`FrameRows` read whole (for a few rows), a frame as it is."""
    return typed.iloc[:] if isinstance(typed, FrameRows) else typed
