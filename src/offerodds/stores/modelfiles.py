"""One model version folder on disk (``params.json``, ``arrays.npz``, ``manifest.json``): read
once, checked, and turned into a scorer.

Loading cannot run code: the parameters are JSON and numpy arrays, read with
``allow_pickle=False`` after their headers say they are floating-point arrays of the expected
shapes. Each file is read once into memory, and the bytes that are hashed are the bytes that are
parsed: swapping a file on disk between the hash check and the parse changes nothing (there is no
second read). Symbolic links, files that are not regular files and oversized files are refused.

What is checked, and what is not (SECURITY.md): the manifest's SHA-256 of each file catches a
file changed, truncated, replaced or added after the version was stored; the parse refuses
anything that is not a well-formed model of this signal catalogue (wrong types, shapes or sizes,
non-finite numbers, weights no fit produces). The manifest is not keyed: whoever can write
``models/`` can write a consistent forgery with finite weights, and is trusted.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import math
import os
import re
import stat
import zipfile
from dataclasses import fields
from pathlib import Path

import numpy as np

from offerodds.errors import StoreError
from offerodds.files.faults import checkpoint
from offerodds.scoring.scorer import FitSummary, LinearScorer
from offerodds.signals.encoding import feature_layout

__all__ = [
    "ARRAYS",
    "MANIFEST",
    "PARAMS",
    "StoreError",
    "is_version",
    "load_folder",
    "read_bytes",
    "read_json",
    "sha256",
    "verify_folder",
    "version_digest",
]

PARAMS, ARRAYS, MANIFEST = "params.json", "arrays.npz", "manifest.json"
ARTIFACTS = (PARAMS, ARRAYS)
VERSION = re.compile(r"v[1-9][0-9]{0,8}")  # matched whole (fullmatch): "v1\\n" is not a version
#: No file of a model folder is larger (the covariance of 1,000 features is 8 MB).
MAX_FILE_BYTES = 64 << 20
#: A weight beyond this many log-odds is no fitted model; the bound keeps every sum finite.
MAX_WEIGHT = 1e3
#: Likewise for an entry of the weights' covariance.
MAX_COVARIANCE = 1e6


def is_version(text) -> bool:
    """True for a version name the store makes: ``v1``, ``v2``, ... (nothing else)."""
    return isinstance(text, str) and VERSION.fullmatch(text) is not None


def sha256(data: bytes | os.PathLike | str) -> str:
    """SHA-256 (hex) of ``data``, or of the file at that path."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        return hashlib.sha256(data).hexdigest()
    with open(data, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def version_digest(manifest: dict) -> str:
    """One SHA-256 for a version's content: of its artifact files' hashes, in name order."""
    files = manifest.get("files", {})
    return sha256("\n".join(f"{name} {files[name]}" for name in sorted(files)).encode())


# --- reading files: once, no links, no surprises --------------------------------------------------


#: Where a file cannot be opened without following a link, nor relative to an open folder
#: (Windows), links are refused by looking before opening (:func:`_open_portably`).
PORTABLE = not (
    hasattr(os, "O_NOFOLLOW") and hasattr(os, "O_DIRECTORY") and os.open in os.supports_dir_fd
)


def _open_portably(path: str, short: str, label: str) -> int:
    """Open the regular file ``path`` after checking it is not a link (no ``O_NOFOLLOW``)."""
    info = os.lstat(path)  # FileNotFoundError passes
    if stat.S_ISLNK(info.st_mode) or (hasattr(info, "st_reparse_tag") and info.st_reparse_tag):
        raise StoreError(f"{label}: {short} is a symbolic link; refusing it")
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(f"{label}: {short} is not a regular file; refusing it")
    return os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))


def _read(name: str, *, dir_fd: int | None = None, label: str, folder: Path | None = None) -> bytes:
    """The bytes of the regular file ``name`` (relative to ``dir_fd``, or to ``folder`` where
    folders cannot be opened), not following a link.

    A missing file raises FileNotFoundError; any other problem a :class:`StoreError`.
    """
    short = Path(name).name
    try:
        if PORTABLE:
            fd = _open_portably(str(Path(folder, name)) if folder is not None else name, short, label)
        else:
            fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=dir_fd)
    except (FileNotFoundError, StoreError):
        raise
    except OSError as error:
        why = "is a symbolic link" if error.errno == errno.ELOOP else f"cannot be read ({error.strerror})"
        raise StoreError(f"{label}: {short} {why}; refusing it") from error
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise StoreError(f"{label}: {short} is not a regular file; refusing it")
        if info.st_size > MAX_FILE_BYTES:
            raise StoreError(f"{label}: {short} has {info.st_size:,} bytes, more than any model file")
        chunks, total = [], 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            total += len(chunk)
            if total > MAX_FILE_BYTES:
                raise StoreError(f"{label}: {short} grew past {MAX_FILE_BYTES:,} bytes while it was read")
        return b"".join(chunks)
    except OSError as error:
        raise StoreError(f"{label}: {short} cannot be read ({error.strerror or error})") from error
    finally:
        os.close(fd)


def _parse_json(data: bytes, what: str):
    try:
        return json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise StoreError(f"{what} is not valid JSON ({error})") from error
    except RecursionError as error:
        raise StoreError(f"{what} is nested too deeply to be a model file") from error


def read_bytes(path: Path, what: str) -> bytes:
    """A file of the store, read once: no links, regular files only, at most
    ``MAX_FILE_BYTES``. A missing file raises FileNotFoundError, any other problem StoreError."""
    return _read(str(path), label=what)


def read_json(path: Path, what: str):
    """A small JSON file of the store (the pointer, the registry record), read as
    :func:`read_bytes` reads; invalid or too deeply nested JSON is a StoreError."""
    return _parse_json(read_bytes(path, what), f"{what} ({path})")


def _open_folder(folder: Path) -> int | None:
    """An open descriptor of the model folder, not following a link; None where folders
    cannot be opened (then it is checked by looking: a link or a non-folder is refused)."""
    if not PORTABLE:
        return os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    info = os.lstat(folder)
    if stat.S_ISLNK(info.st_mode) or (hasattr(info, "st_reparse_tag") and info.st_reparse_tag):
        raise OSError(errno.ELOOP, "is a symbolic link", str(folder))
    if not stat.S_ISDIR(info.st_mode):
        raise OSError(errno.ENOTDIR, "not a folder", str(folder))
    return None


def _read_folder(folder: Path, label: str) -> tuple[dict, dict[str, bytes]]:
    """The manifest and the bytes of each artifact, each file read once and hash-checked."""
    try:
        dir_fd = _open_folder(folder)
    except FileNotFoundError as error:
        raise StoreError(f"no model {label} ({folder} does not exist)") from error
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.ENOTDIR) and folder.is_symlink():
            why = "is a symbolic link"  # O_DIRECTORY | O_NOFOLLOW on a link: ENOTDIR on Linux
        elif error.errno == errno.ENOTDIR:
            why = "is not a folder"
        else:
            why = f"cannot be opened ({error.strerror})"
        raise StoreError(f"model {label}: {folder} {why}; refusing it") from error
    try:
        present = set(os.listdir(dir_fd if dir_fd is not None else folder))
        try:
            manifest = _parse_json(
                _read(MANIFEST, dir_fd=dir_fd, label=f"model {label}", folder=folder), f"model {label}: {MANIFEST}"
            )
        except FileNotFoundError as error:
            raise StoreError(f"model {label} has no manifest ({folder / MANIFEST})") from error
        files = manifest.get("files") if isinstance(manifest, dict) else None
        if not isinstance(files, dict) or set(files) != set(ARTIFACTS):
            raise StoreError(f"model {label}: {MANIFEST} does not list exactly {list(ARTIFACTS)}; refusing it")
        foreign = sorted(present - {MANIFEST, *ARTIFACTS})
        if foreign:
            raise StoreError(f"model {label} holds files its manifest does not list: {foreign}; refusing it")
        contents = {}
        for name in ARTIFACTS:
            try:
                contents[name] = _read(name, dir_fd=dir_fd, label=f"model {label}", folder=folder)
            except FileNotFoundError as error:
                raise StoreError(f"model {label} is missing {name}") from error
            if sha256(contents[name]) != files[name]:
                raise StoreError(
                    f"model {label}: {name} does not match its SHA-256 in the manifest "
                    "(the file was changed after it was stored); refusing it"
                )
    except OSError as error:
        raise StoreError(f"model {label}: {folder} cannot be read ({error.strerror or error})") from error
    finally:
        if dir_fd is not None:
            os.close(dir_fd)
    checkpoint("load.hashed")
    return manifest, contents


def verify_folder(folder: Path, label: str) -> dict:
    """Check every file of a model folder against its manifest; returns the manifest."""
    manifest, _ = _read_folder(Path(folder), label)
    return manifest


# --- parsing: types, shapes, finite numbers ----------------------------------------------------


def _number(value, what: str, *, bound: float = math.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise StoreError(f"{what} is {type(value).__name__}, not a number")
    try:
        number = float(value)
    except OverflowError:  # an integer too large for a float
        number = math.inf
    if not math.isfinite(number) or abs(number) > bound:
        raise StoreError(f"{what} is {str(value)[:30]}, not a finite number within +-{bound:g}")
    return number


def _fit_summary(info: dict, label: str) -> FitSummary:
    """The stored fit summary, each known field of the type its default has."""
    checked = {}
    for spec in fields(FitSummary):
        if spec.name not in info:
            continue
        value = info[spec.name]
        default = spec.default_factory() if callable(spec.default_factory) else spec.default
        kind = type(default)
        if kind is float:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            try:
                value = float(value) if ok else value
            except OverflowError:  # an integer too large for a float
                ok = False
        else:
            ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if not ok:
            raise StoreError(f"model {label}: {PARAMS} info.{spec.name} is {type(value).__name__}, not {kind.__name__}")
        checked[spec.name] = value
    return FitSummary(**checked)


def _member(archive: zipfile.ZipFile, name: str, shapes: tuple, label: str) -> np.ndarray:
    """One array of the archive, its header checked before any of its data is read."""
    with archive.open(f"{name}.npy") as handle:
        version = np.lib.format.read_magic(handle)
        if version == (1, 0):
            found, _, dtype = np.lib.format.read_array_header_1_0(handle)
        elif version == (2, 0):
            found, _, dtype = np.lib.format.read_array_header_2_0(handle)
        else:
            raise StoreError(f"model {label}: {ARRAYS} {name} has an array format {version} numpy does not write")
    if dtype.kind != "f" or dtype.itemsize != 8:
        raise StoreError(f"model {label}: {ARRAYS} {name} holds {dtype}, not 64-bit floats; refusing it")
    if tuple(found) not in shapes:
        expected = " or ".join(str(s) for s in shapes)
        raise StoreError(f"model {label}: {ARRAYS} {name} has shape {tuple(found)}, expected {expected}")
    with archive.open(f"{name}.npy") as handle:
        return np.lib.format.read_array(handle, allow_pickle=False).astype(float)


def _arrays(data: bytes, n: int, label: str) -> tuple[np.ndarray, np.ndarray | None]:
    """The weights and their covariance (None when stored empty), checked."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = sorted(archive.namelist())
            if names != ["coef.npy", "covariance.npy"]:
                raise StoreError(f"model {label}: {ARRAYS} holds {names}, not coef and covariance; refusing it")
            coef = _member(archive, "coef", ((n,),), label)
            covariance = _member(archive, "covariance", ((n + 1, n + 1), (0, 0)), label)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        raise StoreError(f"model {label}: {ARRAYS} cannot be read ({error})") from error
    if not np.all(np.isfinite(coef)) or np.abs(coef).max(initial=0) > MAX_WEIGHT:
        raise StoreError(f"model {label}: {ARRAYS} holds weights that are not finite numbers within +-{MAX_WEIGHT:g}")
    if covariance.size == 0:
        return coef, None
    if not np.all(np.isfinite(covariance)) or np.abs(covariance).max() > MAX_COVARIANCE:
        raise StoreError(
            f"model {label}: {ARRAYS} holds a covariance that is not finite numbers within +-{MAX_COVARIANCE:g}"
        )
    if np.diag(covariance).min() < 0 or not np.allclose(covariance, covariance.T, rtol=1e-6, atol=1e-12):
        raise StoreError(f"model {label}: {ARRAYS} holds a covariance that is not symmetric with variances >= 0")
    return coef, covariance


def _scorer(params, data: bytes, label: str, folder: Path) -> LinearScorer:
    names, _ = feature_layout()
    if not isinstance(params, dict):
        raise StoreError(f"model {label}: {PARAMS} is a {type(params).__name__}, not an object")
    if params.get("features") != names:
        raise StoreError(f"model {label}: {PARAMS} lists the features of a different signal catalogue; retrain it")
    kind, version, info = params.get("kind"), params.get("version"), params.get("info", {})
    if kind not in ("model", "rules"):
        raise StoreError(f"model {label}: {PARAMS} kind is {kind!r}, not 'model'")
    if not is_version(version) or (is_version(label) and version != label):
        raise StoreError(f"model {label}: {PARAMS} names version {version!r}; refusing it")
    if not isinstance(info, dict):
        raise StoreError(f"model {label}: {PARAMS} info is a {type(info).__name__}, not an object")
    intercept = _number(params.get("intercept"), f"model {label}: {PARAMS} intercept", bound=MAX_WEIGHT)
    inflation = _number(info.get("interval_inflation", 1.0), f"model {label}: {PARAMS} interval_inflation", bound=100.0)
    if inflation <= 0:
        raise StoreError(f"model {label}: {PARAMS} interval_inflation is {inflation}, not positive")
    terms = params.get("terms", [])
    if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms) or len(terms) > 1_000:
        raise StoreError(f"model {label}: {PARAMS} terms is not a list of term names")
    misfit = _number(info.get("misfit_variance", 0.0), f"model {label}: {PARAMS} misfit_variance", bound=100.0)
    coef, covariance = _arrays(data, len(names) + len(terms), label)
    try:
        return LinearScorer(
            kind=kind,
            version=version,
            intercept=intercept,
            coef=coef[: len(names)],
            covariance=covariance,
            interval_inflation=inflation,
            terms=tuple(terms),
            term_coef=coef[len(names) :],
            misfit_variance=misfit,
            fit_summary=_fit_summary(info, label) if kind == "model" else None,
            source=str(folder),
        )
    except (ValueError, TypeError) as error:
        raise StoreError(f"model {label}: {error}") from error


def load_folder(folder, label: str) -> LinearScorer:
    """Load a model folder: read once, hash-checked, parsed and checked (nothing runs code).

    Any problem raises :class:`StoreError` with one line saying what is wrong.
    """
    folder = Path(folder)
    manifest, contents = _read_folder(folder, label)
    params = _parse_json(contents[PARAMS], f"model {label}: {PARAMS}")
    del manifest
    return _scorer(params, contents[ARRAYS], label, folder)
