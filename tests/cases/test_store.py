from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from scamlens.cases import evidence_items
from scamlens.cases.store import STATUSES, CaseNotFound, CaseStore, open_store
from scamlens.errors import InputError

from .helpers import conversation, scan_doc


def _create(store: CaseStore, title: str = "Hinge match", **kw: object) -> str:
    rec = store.create_case(
        conversation(),
        scan_doc(**kw),  # type: ignore[arg-type]
        title=title,
        source_name="chat.txt",
        platform=None,
        actor="alice",
    )
    return rec.id


def test_create_and_read_round_trip(store: CaseStore) -> None:
    conv = conversation(5)
    rec = store.create_case(
        conv, scan_doc(), title="  t1 ", source_name=None, platform="telegram", actor="alice"
    )
    got = store.get_case(rec.id)
    assert got.title == "t1"
    assert got.status == "new"
    assert (got.label, got.stage, got.language, got.platform) == (
        "scam",
        "onboarding",
        "en",
        "telegram",
    )
    assert got.risk == pytest.approx(0.97)
    assert got.conversation.messages == conv.messages
    assert got.conversation.me == "Rachel"
    assert got.verdict == scan_doc()
    assert got.feedback == []
    assert got.created_at.tzinfo is not None
    assert got.message_count == 5


def test_list_sorted_by_risk_for_triage(store: CaseStore) -> None:
    low = _create(store, "low", label="benign", risk=0.02)
    top = _create(store, "top", risk=0.9991)
    mid = _create(store, "mid", label="suspicious", risk=0.41)
    near_top = _create(store, "near top", risk=0.9987)  # keeps its place under the top one
    assert [r.id for r in store.list_cases(sort="risk")[0]] == [top, near_top, mid, low]
    assert [r.id for r in store.list_cases(sort="risk", limit=2, offset=1)[0]] == [near_top, mid]
    assert [r.id for r in store.list_cases(sort="risk", label="scam")[0]] == [top, near_top]
    with pytest.raises(InputError, match="sort must be one of"):
        store.list_cases(sort="oldest")


def test_platform_falls_back_to_conversation(store: CaseStore) -> None:
    assert store.get_case(_create(store)).platform == "whatsapp"


def test_list_filter_and_search(store: CaseStore) -> None:
    a = _create(store, "Wrong number Anna")
    b = _create(store, "Benign chat", label="benign", stage=None)
    store.update_case(b, notes="Bank said it is FINE", actor="bob")
    rows, total = store.list_cases()
    assert total == 2 and {r.id for r in rows} == {a, b}
    assert [r.id for r in store.list_cases(label="benign")[0]] == [b]
    assert [r.id for r in store.list_cases(q="anna")[0]] == [a]
    assert [r.id for r in store.list_cases(q="fine")[0]] == [b]
    assert store.list_cases(q="usdt")[1] == 0  # message text is never searched
    assert store.list_cases(q="100%_")[1] == 0  # LIKE wildcards are escaped
    assert store.list_cases(stage="onboarding", platform="whatsapp", language="en")[1] == 1
    page, total = store.list_cases(limit=1, offset=1)
    assert total == 2 and len(page) == 1
    with pytest.raises(InputError):
        store.list_cases(status="bogus")
    with pytest.raises(InputError):
        store.list_cases(limit=0)


def test_update_status_notes_and_audit(store: CaseStore) -> None:
    cid = _create(store)
    rec = store.update_case(cid, status="in_review", notes="secret note", actor="bob")
    assert (rec.status, rec.notes) == ("in_review", "secret note")
    with pytest.raises(InputError, match="status"):
        store.update_case(cid, status="done", actor="bob")
    with pytest.raises(InputError, match="nothing"):
        store.update_case(cid, actor="bob")
    events = store.audit_for(cid)
    assert [e.action for e in events] == ["created", "updated"]
    assert events[1].details == {"status": ["new", "in_review"], "notes_changed": True}
    assert "secret" not in json.dumps([e.details for e in events])
    assert all(s in STATUSES for s in ("new", "closed"))


def test_missing_case(store: CaseStore) -> None:
    for call in (
        lambda: store.get_case("0" * 32),
        lambda: store.update_case("nope", status="closed", actor="a"),
        lambda: store.delete_case("nope", actor="a"),
        lambda: store.feedback_for("x" * 100),
        lambda: store.audit_for("nope"),
    ):
        with pytest.raises(CaseNotFound):
            call()


def test_feedback_targets_and_export(store: CaseStore) -> None:
    cid = _create(store)
    f1 = store.add_feedback(cid, target="verdict", decision="confirm", note=None, actor="a")
    store.add_feedback(cid, target="evidence:0", decision="reject", note="quoted", actor="a")
    store.add_feedback(cid, target="indicator:0", decision="confirm", note=None, actor="a")
    assert f1.target == "verdict" and f1.id > 0
    for bad in ("evidence:1", "indicator:9", "tactic:0", "evidence:-1", "verdict:0"):
        with pytest.raises(InputError):
            store.add_feedback(cid, target=bad, decision="confirm", note=None, actor="a")
    with pytest.raises(InputError):
        store.add_feedback(cid, target="verdict", decision="maybe", note=None, actor="a")
    assert len(store.get_case(cid).feedback) == 3
    assert len(evidence_items(store.get_case(cid).verdict)) == 1
    buf = io.StringIO()
    assert store.export_feedback(buf) == 3
    rows = [json.loads(line) for line in buf.getvalue().splitlines()]
    verdict_row, ev_row, ind_row = rows
    assert verdict_row["label"] == "scam" and verdict_row["kind"] == "conversation"
    assert "message 1" not in verdict_row["text"]  # the user's own messages are left out
    assert ev_row["label"] == "benign" and ev_row["tactic"] == "buy_usdt_instructions"
    assert ev_row["text"].startswith("message 0")
    assert ind_row["indicator_value"] == "btc-globalpro.net"
    assert verdict_row["rules_version"] == "2+abc"


def test_delete_leaves_tombstone_only(store: CaseStore) -> None:
    cid = _create(store)
    store.add_feedback(cid, target="verdict", decision="confirm", note="n", actor="a")
    store.delete_case(cid, actor="carol")
    with pytest.raises(CaseNotFound):
        store.get_case(cid)
    events = store.audit_for(cid)
    assert events[-1].action == "deleted" and events[-1].actor == "carol"
    buf = io.StringIO()
    assert store.export_feedback(buf) == 0
    assert store.stats()["total"] == 0


def test_stats(store: CaseStore) -> None:
    _create(store)
    _create(store, label="benign", stage=None)
    s = store.stats()
    assert s["total"] == 2
    assert s["by_status"]["new"] == 2 and s["by_status"]["closed"] == 0
    assert s["by_label"] == {"scam": 1, "benign": 1}
    assert s["by_stage"] == {"onboarding": 1, "none": 1}
    assert s["by_tactic"] == {"buy_usdt_instructions": 2}
    assert s["by_platform"] == {"whatsapp": 2}
    assert s["per_day"][0]["count"] == 2 and len(s["per_day"][0]["day"]) == 10


def test_purge_older_than(store_url: str) -> None:
    now = [datetime(2024, 1, 1, tzinfo=UTC)]
    with open_store(store_url) as s0:
        s = CaseStore(s0.engine, clock=lambda: now[0])
        old = _create(s)
        now[0] += timedelta(days=40)
        new = _create(s)
        assert s.purge_older_than(30) == 1
        assert [r.id for r in s.list_cases()[0]] == [new]
        assert s.audit_for(old)[-1].action == "purged"
        with pytest.raises(InputError):
            s.purge_older_than(-1)


def test_campaign_records_are_other_party_only(store: CaseStore) -> None:
    cid = _create(store)
    recs = store.campaign_records()
    assert {r["conversation"] for r in recs} == {cid}
    assert all(r["account"].endswith("/Daniel") for r in recs)
    assert len(recs) == 2


def test_bad_inputs(store: CaseStore) -> None:
    with pytest.raises(InputError):
        store.create_case(
            conversation(), {"x": 1}, title="t", source_name=None, platform=None, actor="a"
        )
    with pytest.raises(InputError):
        store.create_case(
            conversation(), scan_doc(), title=" ", source_name=None, platform=None, actor="a"
        )
    with pytest.raises(InputError):
        store.create_case(
            conversation(), scan_doc(), title="t", source_name=None, platform=None, actor=""
        )


def test_reopen_is_migrated_once(store_url: str) -> None:
    with open_store(store_url) as s:
        cid = _create(s)
    with open_store(store_url) as s:
        assert s.get_case(cid).title == "Hinge match"


def test_default_location_is_data_dir() -> None:
    from scamlens.cases.store import default_url
    from scamlens.intel.paths import data_dir

    assert default_url() == f"sqlite:///{(data_dir() / 'cases.db').resolve()}"
