"""Subprocess for the crash and concurrency tests: create cases, print each id after commit."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scamlens.cases.store import open_store
from tests.cases.helpers import conversation, scan_doc


def main() -> None:
    url, count, actor = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    store = open_store(url)
    for i in itertools.count():  # count 0: until killed
        rec = store.create_case(
            conversation(40),
            scan_doc(),
            title=f"{actor}-{i}",
            source_name=None,
            platform=None,
            actor=actor,
        )
        if i % 3 == 0:
            store.update_case(rec.id, status="in_review", notes=f"n{i}", actor=actor)
        print(rec.id, flush=True)
        if count and i + 1 >= count:
            break
    store.close()


if __name__ == "__main__":
    main()
