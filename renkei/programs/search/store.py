"""Arrays kept in files that every process of a machine maps read-only, swapped atomically.

A build writes its arrays (``.npy``) and a ``meta.json`` into a new directory, fsyncs them,
renames the directory into place and only then points ``CURRENT`` at it (a temporary file,
fsync, ``os.replace``). A reader checks ``CURRENT`` with one ``stat`` per call and maps a new
build's arrays with ``np.load(mmap_mode="r")`` when it changed: the operating system shares
the pages between every worker of the machine, and a reader that mapped the previous build
keeps it until it lets go (an unlinked file stays readable while mapped). One builder at a
time per directory (``flock``); older builds are removed, the previous one kept.

Nothing here knows about programs: ``catalogue.py`` decides what goes into a build.
"""

import fcntl
import json
import os
import secrets
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

POINTER = "CURRENT"
META = "meta.json"


def _fsync(path, directory=False):
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class Build:
    """One build as a reader sees it: its name, metadata and lazily mapped arrays."""

    path: Path
    meta: dict
    _arrays: dict = field(default_factory=dict)

    @property
    def name(self):
        return self.path.name

    def __getitem__(self, key):
        array = self._arrays.get(key)
        if array is None:
            mapped = np.load(self.path / f"{key}.npy", mmap_mode="r", allow_pickle=False)
            # a plain read-only ndarray over the mapping: indexing an np.memmap costs a
            # subclass instance per slice
            array = self._arrays[key] = np.asarray(mapped)
        return array


class Store:
    """A directory of builds with a ``CURRENT`` pointer."""

    def __init__(self, directory):
        self.directory = Path(directory)
        self._seen = None  # (inode, mtime, size) of CURRENT when last read
        self._build = None

    # --- reading: every request -----------------------------------------------------------

    def current(self):
        """The build ``CURRENT`` names (mapped), or None before the first build."""
        try:
            st = os.stat(self.directory / POINTER)
        except FileNotFoundError:
            self._seen = self._build = None
            return None
        seen = (st.st_ino, st.st_mtime_ns, st.st_size)
        if seen != self._seen:
            name = (self.directory / POINTER).read_text().strip()
            path = self.directory / name
            try:
                meta = json.loads((path / META).read_text())
            except FileNotFoundError:  # removed between the stat and the read: a newer is in
                return self._build
            self._build, self._seen = Build(path, meta), seen
        return self._build

    # --- writing: the builder (a background job, the node's keeper, a command) -------------

    @contextmanager
    def lock(self, wait=True):
        """Hold the directory's builder lock; yields False when ``wait`` is off and another
        builder holds it."""
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self.directory / ".lock", "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def write(self, arrays, meta):
        """Write a new build and make it current; returns its directory."""
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"build-{time.time_ns()}-{secrets.token_hex(4)}"
        temporary = self.directory / f".{name}.tmp"
        temporary.mkdir()
        for key, array in arrays.items():
            target = temporary / f"{key}.npy"
            np.save(target, np.ascontiguousarray(array), allow_pickle=False)
            _fsync(target)
        (temporary / META).write_text(json.dumps(meta, ensure_ascii=False))
        _fsync(temporary / META)
        _fsync(temporary, directory=True)
        final = self.directory / name
        os.rename(temporary, final)
        pointer = self.directory / f".{POINTER}.{name}.tmp"
        pointer.write_text(name + "\n")
        _fsync(pointer)
        os.replace(pointer, self.directory / POINTER)
        _fsync(self.directory, directory=True)
        self._prune(keep={name})
        return final

    def _prune(self, keep, previous=1):
        """Remove builds but the current one and the ``previous`` newest others; readers that
        mapped a removed build keep reading it until they move on."""
        builds = sorted(
            (p for p in self.directory.iterdir() if p.is_dir() and p.name.startswith("build-")),
            key=lambda p: p.name,
            reverse=True,
        )
        others = [p for p in builds if p.name not in keep]
        for path in others[previous:]:
            shutil.rmtree(path, ignore_errors=True)
        for path in self.directory.glob(".build-*.tmp"):
            if time.time() - path.stat().st_mtime > 3600:  # a builder that died half-way
                shutil.rmtree(path, ignore_errors=True)
