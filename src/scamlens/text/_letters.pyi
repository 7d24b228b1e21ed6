"""The optional C words and script counts behind text/language.py (see _letters.c)."""

def words(text: str, keep: str, /) -> tuple[list[str], list[str]]:
    """The runs of `[^\\W\\d_]+` in `text`, in order: those all ASCII, and those holding a
    character that is neither ASCII nor in `keep` ((first, last) character pairs)."""

def counts(text: str, sets: tuple[str, ...], /) -> tuple[int, ...]:
    """For each str of (first, last) character pairs, how many characters of `text` lie in
    one of its ranges."""
