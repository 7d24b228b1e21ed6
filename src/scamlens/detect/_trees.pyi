"""The optional C literal trees behind matcher.py (see _trees.c)."""

from collections.abc import Sequence

from typing_extensions import Buffer

class Trees:
    def __init__(
        self,
        literals: Sequence[bytes],
        set_rules: Sequence[list[int]],
        programs: Sequence[list[int]],
        max_tests: int = 256,
    ) -> None: ...
    def candidates(self, found: Sequence[int], data: Buffer, /) -> list[int]:
        """Sorted ids of the rules named by the Set literals `found` whose trees hold."""
