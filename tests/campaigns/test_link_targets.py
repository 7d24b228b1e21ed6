"""Links hidden behind link text (Telegram text_link, <a href>, web links kept in attachments)
count as indicators of the sending account in ring discovery, exactly like visible ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from scamlens.campaigns import find_campaigns, render_html, schema
from scamlens.campaigns.records import MessageTable, load_messages
from scamlens.model import Conversation, Message, MessageKind

from ..ingest import tg_html

SITE = "coinbase-pro-vip.com"
# Different paths and codes per message: the registered domain is what the accounts share.
HIDDEN = [f"https://{SITE}/register?ref={n}" for n in (11, 22, 33)]
# Texts with no indicator and nothing in common (too short to be a script anyway).
TEXTS = [
    ["Good morning dear", "Register here", "Did it work?"],
    ["How is your day going", "Sign up with this", "Tell me when you are done"],
]


def _chat(who: str, uid: str, lines: list[Any]) -> dict[str, Any]:
    msgs = []
    for n, parts in enumerate(lines, 1):
        ents = [
            {"type": "plain", "text": p} if isinstance(p, str) else p  # p: a text_link entity
            for p in parts
        ]
        text: Any = [e["text"] if e["type"] == "plain" else e for e in ents]
        if all(e["type"] == "plain" for e in ents):
            text = "".join(e["text"] for e in ents)
        me = parts == ["ok"]
        msgs.append(
            {"id": n, "type": "message", "date": f"2024-05-01T10:{n:02d}:00",
             "date_unixtime": str(1714557600 + n * 60), "from": "Me" if me else who,
             "from_id": "user1" if me else uid, "text": text, "text_entities": ents}
        )  # fmt: skip
    return {"name": who, "type": "personal_chat", "id": int(uid[4:]), "messages": msgs}


def _link(label: str, href: str) -> dict[str, Any]:
    return {"type": "text_link", "text": label, "href": href}


def _exports(folder: Path, hrefs: list[str], *, html: bool = True) -> Path:
    """Lena's chat as a Telegram JSON export, Mia's as a Telegram HTML export (when `html`):
    their only shared indicator is behind the link text of `hrefs`."""
    lena = [["ok"], [TEXTS[0][0]], [_link(TEXTS[0][1], hrefs[0])], [TEXTS[0][2]]]
    lena.append(["and this one: ", _link("here", hrefs[1])])
    mia = [["ok"], [TEXTS[1][0]], [_link(TEXTS[1][1], hrefs[2])], [TEXTS[1][2]]]
    (folder / "lena").mkdir(parents=True)
    (folder / "lena" / "result.json").write_text(
        json.dumps(_chat("Lena", "user2", lena)), encoding="utf-8"
    )
    if html:  # only the pages (the folder is one chat; see test_folder_loader.py)
        (folder / "mia").mkdir()
        for name, page in tg_html.render(_chat("Mia", "user3", mia)).items():
            (folder / "mia" / name).write_text(page, encoding="utf-8")
    else:
        (folder / "mia").mkdir()
        (folder / "mia" / "result.json").write_text(
            json.dumps(_chat("Mia", "user3", mia)), encoding="utf-8"
        )
    return folder


def test_importers_keep_hidden_targets_in_the_table(tmp_path: Path) -> None:
    table = load_messages(_exports(tmp_path / "x", HIDDEN))
    assert set(table.accounts) == {"Lena", "Mia"}  # the owner ("Me") is no account
    by_text = {t: links for t, links in zip(table.texts, table.links, strict=True)}
    assert by_text[TEXTS[0][1]] == (HIDDEN[0],)
    assert by_text[TEXTS[1][1]] == (HIDDEN[2],)  # from the HTML export's <a href>
    assert by_text[TEXTS[0][0]] == ()
    assert not any(SITE in t for t in table.texts)


@pytest.mark.parametrize("html", [True, False])
def test_shared_hidden_link_ties_two_accounts(tmp_path: Path, html: bool) -> None:
    report = find_campaigns(_exports(tmp_path / "x", HIDDEN, html=html))
    doc = report.to_dict()
    jsonschema.validate(doc, schema())
    assert len(doc["campaigns"]) == 1
    camp = doc["campaigns"][0]
    assert camp["accounts"] == ["Lena", "Mia"]
    ties = [(t["kind"], t["type"], t["key"]) for t in camp["ties"]]
    assert ("indicator", "domain", SITE) in ties
    assert all(kind == "indicator" for kind, _, _ in ties)  # no script ties them
    tie = next(t for t in camp["ties"] if t["key"] == SITE)
    assert tie["accounts"] == ["Lena", "Mia"] and tie["message_count"] == 3
    ind = next(i for i in camp["indicators"] if (i["type"], i["value"]) == ("domain", SITE))
    assert ind["ties"] and ind["link_target_message_ids"] == ind["message_ids"]
    assert len(ind["message_ids"]) == 3 and set(camp["message_ids"]) == set(ind["message_ids"])
    assert "behind link text" in render_html(doc)


def test_without_the_hidden_links_nothing_ties_them(tmp_path: Path) -> None:
    table = load_messages(_exports(tmp_path / "x", HIDDEN))
    table.links = [() for _ in table.links]
    assert find_campaigns(table).to_dict()["campaigns"] == []


@pytest.mark.parametrize(
    ("allowed", "benign"),
    [
        ("binance.com", ["https://www.binance.com/en/register?ref=1",
                         "https://accounts.binance.com/r?ref=2", "https://www.binance.com/"]),
        ("google.com", ["https://www.google.com/search?q=usdt", "https://google.com/maps",
                        "https://www.google.com/"]),
    ],
)  # fmt: skip
def test_hidden_link_to_a_big_legitimate_site_ties_nothing(
    tmp_path: Path, allowed: str, benign: list[str]
) -> None:
    doc = find_campaigns(_exports(tmp_path / "x", benign)).to_dict()
    assert doc["campaigns"] == []
    assert doc["stats"]["indicators"] >= 2  # found (domain and urls), then allow-listed
    assert doc["common_indicators"] == []  # allow-listed: dropped, not listed as common
    # The same exports with a scam site behind the links do form a ring (see above).
    scam = [u.replace(allowed, SITE) for u in benign]
    assert find_campaigns(_exports(tmp_path / "y", scam)).to_dict()["campaigns"]


def _conv(
    who: str, msgs: list[tuple[str, tuple[str, ...]]], kind: MessageKind | None = None
) -> Conversation:
    return Conversation(
        messages=tuple(
            Message(n, who, text, is_user=False, kind=kind or MessageKind.TEXT, attachments=att)
            for n, (text, att) in enumerate(msgs)
        ),
        source_format="test",
        platform="telegram",
    )


def _table(*convs: Conversation) -> MessageTable:
    table = MessageTable()
    for n, conv in enumerate(convs):
        table.add_conversation(conv, f"c{n}")
    return table


def _indicator_view(table: MessageTable, source: str) -> dict[tuple[str, str], tuple[Any, ...]]:
    report = find_campaigns(table, indicators=source)  # type: ignore[arg-type]
    return {
        (i["type"], i["value"]): (tuple(i["accounts"]), len(i["message_ids"]), i["ties"])
        for c in report.to_dict()["campaigns"]
        for i in c["indicators"]
    }


@pytest.mark.parametrize("source", ["core", "builtin"])
def test_hidden_link_counts_exactly_like_a_visible_one(source: str) -> None:
    """Same extractor, same normalisation and domain handling: a hidden link and the same link
    written out give the same indicators, accounts and ties."""
    wallet = "TJRabPrwbZy45sbavfcjinPJC18kjpRTv8"
    links = [f"https://{SITE}/register?ref=9&address={wallet}", f"https://WWW.{SITE.upper()}/a"]
    hidden = _table(
        _conv("Lena", [("Register here", (links[0],)), ("and here", (links[1],))]),
        _conv("Mia", [("Sign up with this", (links[0],))]),
    )
    shown = _table(
        _conv("Lena", [(f"Register here {links[0]}", ()), (f"and here {links[1]}", ())]),
        _conv("Mia", [(f"Sign up with this {links[0]}", ())]),
    )
    got = _indicator_view(hidden, source)
    assert got and got == _indicator_view(shown, source)
    assert ("domain", SITE) in got and got[("domain", SITE)] == (("Lena", "Mia"), 3, True)


def test_visible_and_hidden_same_link_is_counted_once() -> None:
    link = f"https://{SITE}/register"
    table = _table(
        # The link written out and hidden behind the same message's text: one use.
        _conv("Lena", [(f"go to {link} now", (link, link)), (f"or {SITE}", (link,))]),
        _conv("Mia", [("Sign up with this", (link,))]),
    )
    doc = find_campaigns(table).to_dict()
    # Two accounts only: the url and domain ties cannot pass the chance test to join, so each
    # is its own campaign (as for visible links); both name the same three messages.
    inds = {(i["type"], i["value"]): i for c in doc["campaigns"] for i in c["indicators"]}
    dom = inds[("domain", SITE)]
    assert dom["message_ids"] == ["c0:0", "c0:1", "c1:0"]
    assert dom["link_target_message_ids"] == ["c1:0"]  # only Mia's was found only behind text
    url = inds[("url", link)]
    assert url["message_ids"] == ["c0:0", "c0:1", "c1:0"]
    assert url["link_target_message_ids"] == ["c0:1", "c1:0"]
    for camp in doc["campaigns"]:
        assert camp["size"] == 3 and [t["message_count"] for t in camp["ties"]] == [3]


def test_media_paths_and_placeholders_are_no_links() -> None:
    att = (
        "photos/photo_1.jpg",
        "forwarded_from:coinbase-pro-vip.com",
        "files/www.report.pdf",
        "https://cdn.discordapp.com/attachments/1/2/a.png",
        "https://media.discordapp.net/attachments/1/2/b.png",
    )
    table = _table(
        _conv("Lena", [("look", att), ("pic", att)], MessageKind.MEDIA),
        _conv("Mia", [("see", att)], MessageKind.MEDIA),
    )
    assert table.links == [(), (), ()]
    doc = find_campaigns(table).to_dict()
    assert doc["campaigns"] == [] and doc["stats"]["indicators"] == 0


def test_message_with_only_a_hidden_link_is_kept() -> None:
    # A shared link with no text (Messenger/Instagram "share"): the link is the message.
    conv = _conv("Lena", [("", (f"https://{SITE}/x",)), ("", ()), ("", ("photos/a.jpg",))])
    table = _table(conv)
    assert table.texts == [""] and table.links == [(f"https://{SITE}/x",)]
    table2 = _table(conv, _conv("Mia", [("", (f"https://{SITE}/y",)), ("", (f"https://{SITE}/",))]))
    (camp,) = find_campaigns(table2).to_dict()["campaigns"]
    assert camp["accounts"] == ["Lena", "Mia"] and camp["size"] == 3


def test_no_indicator_source_reads_no_links(tmp_path: Path) -> None:
    doc = find_campaigns(_exports(tmp_path / "x", HIDDEN), indicators="none").to_dict()
    assert doc["campaigns"] == [] and doc["stats"]["indicators"] == 0


@pytest.mark.parametrize("source", ["auto", "builtin"])
def test_cli_on_a_folder_of_exports(tmp_path: Path, source: str) -> None:
    from .test_cli import _run

    out = tmp_path / "c.json"
    folder = str(_exports(tmp_path / "x", HIDDEN))
    assert _run(["campaigns", folder, "-o", str(out), "--indicators", source]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema())
    (camp,) = doc["campaigns"]
    assert camp["accounts"] == ["Lena", "Mia"]
    assert ("domain", SITE) in {(t["type"], t["key"]) for t in camp["ties"]}


def _flat_records() -> list[dict[str, Any]]:
    """The same two accounts as flat records (a platform's message dump): the link targets
    sit in a `links` field, apart from the text."""
    return [
        {"id": "l1", "account": "Lena", "text": TEXTS[0][0]},
        {"id": "l2", "account": "Lena", "text": TEXTS[0][1], "links": [HIDDEN[0]]},
        {"id": "l3", "account": "Lena", "text": TEXTS[0][2], "links": HIDDEN[1]},
        {"id": "m1", "account": "Mia", "text": TEXTS[1][0], "links": []},
        {"id": "m2", "account": "Mia", "text": TEXTS[1][1], "links": [HIDDEN[2], HIDDEN[2]]},
    ]


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "parquet"])
def test_flat_records_carry_link_targets(tmp_path: Path, fmt: str) -> None:
    recs = _flat_records()
    path = tmp_path / f"m.{fmt}"
    if fmt == "jsonl":
        path.write_text("\n".join(json.dumps(r) for r in recs), encoding="utf-8")
    elif fmt == "json":
        path.write_text(json.dumps(recs), encoding="utf-8")
    elif fmt == "csv":
        rows = ["id,account,text,links"]
        for r in recs:
            links = r.get("links", "")
            cell = " ".join(links) if isinstance(links, list) else links
            rows.append(f'{r["id"]},{r["account"]},"{r["text"]}",{cell}')
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    else:
        pa = pytest.importorskip("pyarrow")
        pq = pytest.importorskip("pyarrow.parquet")
        cols: dict[str, list[Any]] = {k: [r[k] for r in recs] for k in ("id", "account", "text")}
        links = [r.get("links", []) for r in recs]
        cols["links"] = [[x] if isinstance(x, str) else x for x in links]
        pq.write_table(pa.table(cols), path)
    table = load_messages(path)
    assert table.links == [(), (HIDDEN[0],), (HIDDEN[1],), (), (HIDDEN[2],)]
    doc = find_campaigns(table).to_dict()
    assert [c["accounts"] for c in doc["campaigns"]] == [["Lena", "Mia"]]
    ties = [(t["type"], t["key"]) for t in doc["campaigns"][0]["ties"]]
    assert ("domain", SITE) in ties


def test_flat_records_without_links_tie_nothing() -> None:
    recs = [{k: v for k, v in r.items() if k != "links"} for r in _flat_records()]
    assert find_campaigns(MessageTable.from_records(recs)).to_dict()["campaigns"] == []


@pytest.mark.parametrize(
    ("links", "message"),
    [
        (42, "is a int, expected a list of web links"),
        (["https://ok.example/a", 7], "item 2 is not a web link"),
        ("wallet TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE", "item 1 is not a web link"),
        (["https://x.example/"] * 65, "holds 65 links, at most 64"),
    ],
)
def test_bad_links_field_is_refused_with_its_line(links: Any, message: str) -> None:
    from scamlens.errors import InputError

    recs = [{"id": "a", "account": "A", "text": "hi"}, {"id": "b", "account": "B", "links": links}]
    with pytest.raises(InputError, match=message) as err:
        MessageTable.from_records(recs, source="dump.jsonl")
    assert str(err.value).startswith("dump.jsonl:2: field 'links'")
