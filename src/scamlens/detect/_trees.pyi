"""The optional C rule literals and literal trees behind matcher.py (see _trees.c)."""

from collections.abc import Sequence

from typing_extensions import Buffer

class Trees:
    def __init__(
        self,
        literals: Sequence[bytes],
        set_rules: Sequence[list[int]],
        programs: Sequence[list[int]],
    ) -> None: ...
    def candidates(self, data: Buffer, /) -> list[int]:
        """Sorted ids of the rules one of whose OR-set literals `data` holds and whose
        literal tree it satisfies."""
