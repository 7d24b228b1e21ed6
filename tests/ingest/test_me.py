from __future__ import annotations

from pathlib import Path

import pytest

from scamlens.errors import InputError
from scamlens.ingest import load_chat, load_chats, parse_text

from .helpers import EXPORTS

WA = EXPORTS / "whatsapp"


def test_me_option_wins_and_is_case_insensitive() -> None:
    conv = load_chat(WA / "WhatsApp Chat with Jason Lee.txt", me="  jason   LEE ")
    assert conv.me == "Jason Lee" and conv.me_method == "--me"
    assert conv.messages[1].is_user is True
    assert conv.messages[2].is_user is False
    assert conv.messages[0].is_user is None  # system lines belong to nobody


def test_me_option_absent_lists_participants() -> None:
    with pytest.raises(
        InputError,
        match=r"--me 'Anna' is not a participant; participants are: 'Jason Lee', 'Emily Carter'",
    ):
        load_chat(WA / "WhatsApp Chat with Jason Lee.txt", me="Anna")
    with pytest.raises(InputError, match="--me is empty"):
        load_chat(WA / "WhatsApp Chat with Jason Lee.txt", me="  ")


def test_me_in_some_chats_of_a_multi_chat_export() -> None:
    chats = load_chats(EXPORTS / "linkedin" / "messages.csv", me="victoria chen")
    assert chats[0].me == "Victoria Chen"
    assert chats[1].me == "Victoria Chen"  # named, though she wrote nothing there
    assert any("sent no message in this chat" in w for w in chats[1].warnings)
    assert all(m.is_user is False for m in chats[1].messages)


def test_unknown_when_nothing_tells() -> None:
    conv = load_chat(WA / "ios_us_12h.txt")
    assert conv.me is None and conv.me_method == "unknown"
    assert all(m.is_user is None for m in conv.messages)


def test_other_party_from_file_name(tmp_path: Path) -> None:
    path = tmp_path / "WhatsApp Chat with Daniel.txt"
    path.write_bytes((WA / "ios_us_12h.txt").read_bytes())
    conv = load_chat(path)
    assert conv.me == "Sophie" and conv.me_method == "heuristic:other-party-named"


def test_common_participant_across_threads_needs_two_threads() -> None:
    text = "conversation,sender,text\nt1,Ann,hi\nt1,Bo,yo\nt2,Ann,hey\nt2,Cy,sup\n"
    chats = parse_text(text)
    assert [c.me for c in chats] == ["Ann", "Ann"]
    assert chats[0].me_method == "heuristic:in-every-thread"
    single = parse_text("conversation,sender,text\nt1,Ann,hi\nt1,Bo,yo\n")
    assert single[0].me is None
