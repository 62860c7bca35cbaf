"""Freeze the dev/test split of the shared gold corpora (run once; the JSON files are the record).

Each document goes to ``dev`` or ``test`` by a hash of its id (60 % dev, 40 % test), so the split does not
depend on file order and never changes. GeoVirus is held out whole (never tuned on): it has no dev part.

    python eval-data/splits/make_splits.py ../shared/eval
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

CORPORA = ("gwn", "trnews", "lgl")
DEV_SHARE = 0.6


def side(corpus: str, doc_id: str) -> str:
    h = int(hashlib.sha256(f"{corpus}:{doc_id}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "dev" if h < DEV_SHARE else "test"


def ids_of(path: Path) -> list[str]:
    """The ``id`` of every line of a JSONL corpus, in order."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line)["id"] for line in fh]


def main(eval_dir: str) -> None:
    out = Path(__file__).parent
    for corpus in CORPORA:
        ids = ids_of(Path(eval_dir) / f"{corpus}.jsonl")
        split = {"corpus": corpus, "rule": f"sha256('{corpus}:' + id) < {DEV_SHARE} -> dev", "dev": [], "test": []}
        for i in ids:
            split[side(corpus, i)].append(i)
        (out / f"{corpus}.json").write_text(json.dumps(split, indent=0) + "\n", encoding="utf-8")
        print(corpus, len(split["dev"]), "dev", len(split["test"]), "test")
    geovirus = ids_of(Path(eval_dir) / "geovirus.jsonl")
    held = {"corpus": "geovirus", "rule": "held out whole: never tuned on", "dev": [], "test": geovirus}
    (out / "geovirus.json").write_text(json.dumps(held, indent=0) + "\n", encoding="utf-8")
    print("geovirus", 0, "dev", len(geovirus), "test")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/eval")
