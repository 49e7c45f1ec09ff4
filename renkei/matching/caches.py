"""Where embeddings are kept between runs: the portal's database, or a file for the CLI."""

import sqlite3
from pathlib import Path

import numpy as np

from renkei.matching.engine import MemoryCache
from renkei.matching.models import Embedding


class DatabaseCache(MemoryCache):
    """Embeddings in the Embedding table, shared by every process of the portal."""

    _shared = {}  # model name → vectors already read or written by this process

    def __init__(self, model_name):
        super().__init__()
        self.model_name = model_name
        self.vectors = self._shared.setdefault(model_name, {})

    def get_many(self, keys):
        found = super().get_many(keys)
        missing = [k for k in keys if k not in found]
        for start in range(0, len(missing), 500):
            for row in Embedding.objects.filter(
                key__in=missing[start : start + 500], model=self.model_name
            ):
                vector = np.frombuffer(bytes(row.vector), dtype=np.float32)
                self.vectors[row.key] = vector
                found[row.key] = vector
        return found

    def put_many(self, items):
        super().put_many(items)
        Embedding.objects.bulk_create(
            [
                Embedding(key=k, model=self.model_name, vector=v.astype(np.float32).tobytes())
                for k, v in items.items()
            ],
            ignore_conflicts=True,
            batch_size=500,
        )


class FileCache(MemoryCache):
    """Embeddings in a SQLite file, for `renkei match` runs on JSON lines files."""

    def __init__(self, path, model_name):
        super().__init__()
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.model_name = model_name
        self.connection = sqlite3.connect(self.path)
        self.connection.execute(
            "CREATE TABLE IF NOT EXISTS embedding"
            " (key TEXT, model TEXT, vector BLOB, PRIMARY KEY (key, model))"
        )

    def get_many(self, keys):
        found = super().get_many(keys)
        missing = [k for k in keys if k not in found]
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.connection.execute(
                f"SELECT key, vector FROM embedding WHERE model = ? AND key IN ({marks})",  # noqa: S608 - constant table name; the values are bound parameters  # nosec B608
                [self.model_name, *chunk],
            )
            for key, blob in rows:
                vector = np.frombuffer(blob, dtype=np.float32)
                self.vectors[key] = vector
                found[key] = vector
        return found

    def put_many(self, items):
        super().put_many(items)
        with self.connection:
            self.connection.executemany(
                "INSERT OR IGNORE INTO embedding (key, model, vector) VALUES (?, ?, ?)",
                [(k, self.model_name, v.astype(np.float32).tobytes()) for k, v in items.items()],
            )
