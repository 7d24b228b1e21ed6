"""Figures per evaluation set and scorer, and the Markdown / HTML report with PNG plots."""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from scamlens.evaluation import metrics as M
from scamlens.evaluation.data import BENIGN, OTHER, SCAM, Item
from scamlens.evaluation.scorers import Scored
from scamlens.model import Stage

PREDICTED = ("benign", "suspicious", "scam")
N_BOOT = 2000


@dataclass
class Section:
    """One evaluation set scored by several systems (same items, same order)."""

    key: str  # file-name safe
    title: str
    note: str
    items: list[Item]
    scored: dict[str, list[Scored]]  # scorer name -> one per item
    slices: tuple[str, ...] = ("lang",)  # item attributes to break figures down by
    extra: list[str] = field(default_factory=list)  # more Markdown lines (settings, timings)


def _fmt(v: float | None, pct: bool = True) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "—"
    return f"{v:.1%}" if pct else f"{v:.3f}"


def _ci(iv: M.Interval) -> str:
    if iv.low is None or iv.high is None:
        return ""
    return f" [{iv.low:.0%}–{iv.high:.0%}]"


def slice_rows(sec: Section) -> list[tuple[str, list[int]]]:
    """(slice name, item indices): all items, then each value of each slice attribute."""
    out = [("all", list(range(len(sec.items))))]
    for attr in sec.slices:
        values = sorted({str(getattr(it, attr)) for it in sec.items})
        if len(values) > 1:
            for v in values:
                idx = [i for i, it in enumerate(sec.items) if str(getattr(it, attr)) == v]
                out.append((f"{attr}={v}", idx))
    return out


def figures(sec: Section, scorer: str, idx: Sequence[int], seed: int = 7) -> dict[str, Any]:
    """Every figure for one scorer on the items `idx` (other_fraud counted apart)."""
    scored = sec.scored[scorer]
    keep = [i for i in idx if sec.items[i].label in (SCAM, BENIGN)]
    y = np.array([1 if sec.items[i].label == SCAM else 0 for i in keep], dtype=np.int64)
    risk = np.array([scored[i].risk for i in keep], dtype=np.float64)
    flag = np.array([scored[i].label != "benign" for i in keep], dtype=bool)
    scam = np.array([scored[i].label == "scam" for i in keep], dtype=bool)
    groups = [sec.items[i].group for i in keep]
    pos, neg = y == 1, y == 0
    cf, cs = M.counts(y, flag), M.counts(y, scam)
    other = [i for i in idx if sec.items[i].label == OTHER]
    rel = M.reliability(y, risk)

    def boot(hits: np.ndarray, mask: np.ndarray, salt: int) -> M.Interval:
        return M.bootstrap_rate(
            hits[mask],
            seed=seed + salt,
            n_boot=N_BOOT,
            groups=[g for g, m in zip(groups, mask, strict=True) if m],
        )

    return {
        "n": len(keep),
        "pos": int(pos.sum()),
        "neg": int(neg.sum()),
        "flagged": cf,
        "scam": cs,
        "recall_flag_ci": boot(flag, pos, 1),
        "fpr_flag_ci": boot(flag, neg, 2),
        "recall_scam_ci": boot(scam, pos, 3),
        "fpr_scam_ci": boot(scam, neg, 4),
        "roc_auc": M.roc_auc(y, risk),
        "ap": M.average_precision(y, risk),
        "reliability": rel,
        "other_n": len(other),
        "other_flagged": sum(scored[i].label != "benign" for i in other),
    }


def metrics_table(sec: Section, seed: int = 7) -> list[str]:
    head = (
        "| slice | system | n | pos | neg | P (flag) | R (flag) [95% CI] | F1 (flag) | "
        "FPR (flag) [95% CI] | R (scam) | FPR (scam) [95% CI] | ROC AUC | AP | ECE |"
    )
    lines = [head, "|" + "---|" * 14]
    for name, idx in slice_rows(sec):
        for sc in sec.scored:
            f = figures(sec, sc, idx, seed)
            if f["n"] == 0 and name != "all":
                continue  # e.g. a source holding only other fraud (reported apart)
            cf, cs = f["flagged"], f["scam"]
            lines.append(
                f"| {name} | {sc} | {f['n']} | {f['pos']} | {f['neg']} | {_fmt(cf.precision)} "
                f"| {_fmt(cf.recall)}{_ci(f['recall_flag_ci'])} | {_fmt(cf.f1)} "
                f"| {_fmt(cf.fpr)}{_ci(f['fpr_flag_ci'])} | {_fmt(cs.recall)} "
                f"| {_fmt(cs.fpr)}{_ci(f['fpr_scam_ci'])} | {_fmt(f['roc_auc'], False)} "
                f"| {_fmt(f['ap'], False)} | {_fmt(f['reliability'].ece, False)} |"
            )
    return lines


MATCHED_FPR = (0.01, 0.02, 0.05, 0.10)


def matched_lines(sec: Section) -> list[str]:
    """Recall of each system at the same false-positive rates (from its ROC curve)."""
    cols = " | ".join(f"R @ FPR ≤ {t:.0%}" for t in MATCHED_FPR)
    lines = [f"| slice | system | {cols} |", "|" + "---|" * (2 + len(MATCHED_FPR))]
    for name, idx in slice_rows(sec):
        if name != "all" and not name.startswith("lang="):
            continue
        keep = [i for i in idx if sec.items[i].label in (SCAM, BENIGN)]
        y = np.array([1 if sec.items[i].label == SCAM else 0 for i in keep], dtype=np.int64)
        if y.size == 0 or y.min() == y.max():
            return []
        for sc, scored in sec.scored.items():
            risk = np.array([scored[i].risk for i in keep])
            cells = " | ".join(_fmt(M.recall_at_fpr(y, risk, t)) for t in MATCHED_FPR)
            lines.append(f"| {name} | {sc} | {cells} |")
    return lines


def other_fraud_lines(sec: Section) -> list[str]:
    other = [i for i, it in enumerate(sec.items) if it.label == OTHER]
    if not other:
        return []
    parts = []
    for sc, scored in sec.scored.items():
        k = sum(scored[i].label != "benign" for i in other)
        parts.append(f"{sc} {k}/{len(other)} ({k / len(other):.1%})")
    return [
        f"Other fraud (not pig-butchering; neither a hit nor a false positive), share flagged: "
        f"{'; '.join(parts)}."
    ]


def confusion_lines(sec: Section) -> list[str]:
    """Label x predicted label, by language, one block per scorer."""
    langs = sorted({it.lang for it in sec.items})
    lines = ["| system | lang | label | n | → benign | → suspicious | → scam |", "|" + "---|" * 7]
    for sc, scored in sec.scored.items():
        for lang in langs:
            for label in (SCAM, BENIGN, OTHER):
                idx = [i for i, it in enumerate(sec.items) if it.lang == lang and it.label == label]
                if not idx:
                    continue
                cells = [sum(scored[i].label == p for i in idx) for p in PREDICTED]
                lines.append(
                    f"| {sc} | {lang} | {label} | {len(idx)} | "
                    + " | ".join(map(str, cells))
                    + " |"
                )
    return lines


def stage_lines(sec: Section) -> list[str]:
    """Labelled furthest stage x stage reached, for scorers that name a stage."""
    idx = [i for i, it in enumerate(sec.items) if it.label == SCAM and it.stage is not None]
    if not idx:
        return []
    out = []
    stages = list(Stage)
    for sc, scored in sec.scored.items():
        if all(scored[i].stage is None for i in range(len(sec.items))):
            continue
        cols = [*(s.value for s in stages), "none"]
        out += [
            f"**{sc}**: rows = labelled furthest stage, columns = stage reached "
            '("none": not flagged or no stage); exact / earlier / later in the last columns.',
            "",
            "| labelled | n | " + " | ".join(cols) + " | exact | earlier | later |",
            "|" + "---|" * (len(cols) + 5),
        ]
        for s in stages:
            rows = [i for i in idx if sec.items[i].stage == s]
            if not rows:
                continue
            got = [scored[i].stage for i in rows]
            cells = [sum(g == t for g in got) for t in stages] + [sum(g is None for g in got)]
            exact = sum(g == s for g in got)
            early = sum(g is not None and g.order < s.order for g in got)
            late = sum(g is not None and g.order > s.order for g in got)
            out.append(
                f"| {s.value} | {len(rows)} | "
                + " | ".join(map(str, cells))
                + f" | {exact} | {early} | {late} |"
            )
        out.append("")
    return out


def plot_section(sec: Section, out_dir: Path) -> Path | None:
    """One PNG with ROC, PR and reliability panels for every scorer; None when undefined."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    keep = [i for i, it in enumerate(sec.items) if it.label in (SCAM, BENIGN)]
    y = np.array([1 if sec.items[i].label == SCAM else 0 for i in keep], dtype=np.int64)
    if y.size == 0 or y.min() == y.max():
        return None
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.6), dpi=72)
    roc_ax, pr_ax, rel_ax = axes
    for k, (sc, scored) in enumerate(sec.scored.items()):
        risk = np.array([scored[i].risk for i in keep])
        fpr, tpr = M.roc_curve(y, risk)
        roc_ax.plot(fpr, tpr, drawstyle="steps-post", label=f"{sc} (AUC {M.roc_auc(y, risk):.3f})")
        rec, prec = M.pr_curve(y, risk)
        pr_ax.plot(
            np.r_[0.0, rec],
            np.r_[prec[0], prec],
            drawstyle="steps-post",
            label=f"{sc} (AP {M.average_precision(y, risk):.3f})",
        )
        rel = M.reliability(y, risk)
        ok = rel.count > 0
        centers = (rel.edges[:-1] + rel.edges[1:]) / 2
        rel_ax.plot(
            rel.mean_score[ok], rel.observed[ok], marker="o", label=f"{sc} (ECE {rel.ece:.3f})"
        )
        for c, n, o in zip(centers[ok], rel.count[ok], rel.observed[ok], strict=True):
            if k == 0:
                rel_ax.annotate(str(int(n)), (c, o), fontsize=6, alpha=0.6)
    n_pos, n_neg = int(y.sum()), int((y == 0).sum())
    roc_ax.plot([0, 1], [0, 1], ls=":", c="grey", lw=0.8)
    roc_ax.set(xlabel="false-positive rate", ylabel="recall (true-positive rate)", title="ROC")
    pr_ax.axhline(n_pos / y.size, ls=":", c="grey", lw=0.8, label="base rate")
    pr_ax.set(xlabel="recall", ylabel="precision", title="precision-recall", ylim=(0, 1.02))
    rel_ax.plot([0, 1], [0, 1], ls=":", c="grey", lw=0.8, label="perfect")
    rel_ax.set(
        xlabel="mean risk in bin",
        ylabel="observed share of scams",
        title="reliability (10 bins; counts: first system)",
    )
    for ax in axes:
        ax.legend(fontsize=7, loc="best")
        ax.set_xlim(-0.02, 1.02)
    fig.suptitle(f"{sec.title} — n={y.size} ({n_pos} scam, {n_neg} benign)", fontsize=10)
    fig.tight_layout()
    path = out_dir / f"{sec.key}.png"
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)
    return path


def section_markdown(sec: Section, plot: Path | None, seed: int = 7) -> list[str]:
    out = [f"## {sec.title}", "", sec.note, ""]
    out += sec.extra + ([""] if sec.extra else [])
    out += [*metrics_table(sec, seed), ""]
    out += [*other_fraud_lines(sec), ""]
    matched = matched_lines(sec)
    if matched:
        out += ["Recall at matched false-positive rates (any threshold):", "", *matched, ""]
    if plot is not None:
        out += [f"![{sec.title}: ROC, PR and reliability]({plot.name})", ""]
    out += ["Confusion by language (label × predicted label):", "", *confusion_lines(sec), ""]
    st = stage_lines(sec)
    if st:
        out += ["Stage reached vs labelled furthest stage (scam items with a stage):", "", *st]
    return out


def write_report(
    sections: Sequence[Section],
    out_dir: Path,
    *,
    title: str,
    preamble: Sequence[str] = (),
    formats: Sequence[str] = ("md", "html"),
    seed: int = 7,
    log: Callable[[str], None] = lambda _m: None,
) -> dict[str, Path]:
    """Write report.md / report.html / metrics.json and one PNG per section into out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = [f"# {title}", "", *preamble, ""]
    plots: dict[str, Path] = {}
    for sec in sections:
        plot = plot_section(sec, out_dir)
        if plot is not None:
            plots[sec.key] = plot
        lines += section_markdown(sec, plot, seed)
        log(f"section done: {sec.key}")
    md = "\n".join(lines).rstrip() + "\n"
    written: dict[str, Path] = {}
    if "md" in formats:
        written["md"] = out_dir / "report.md"
        written["md"].write_text(md, encoding="utf-8")
    if "html" in formats:
        written["html"] = out_dir / "report.html"
        written["html"].write_text(markdown_to_html(md, out_dir, title), encoding="utf-8")
    written["json"] = out_dir / "metrics.json"
    written["json"].write_text(
        json.dumps(metrics_json(sections, seed), indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return written


def metrics_json(sections: Sequence[Section], seed: int = 7) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    for sec in sections:
        rows: dict[str, Any] = {}
        for name, idx in slice_rows(sec):
            for sc in sec.scored:
                f = figures(sec, sc, idx, seed)
                cf, cs = f["flagged"], f["scam"]
                rows[f"{name}/{sc}"] = {
                    "n": f["n"],
                    "pos": f["pos"],
                    "neg": f["neg"],
                    "precision_flag": cf.precision,
                    "recall_flag": cf.recall,
                    "f1_flag": cf.f1,
                    "fpr_flag": cf.fpr,
                    "recall_scam": cs.recall,
                    "fpr_scam": cs.fpr,
                    "recall_flag_ci": [f["recall_flag_ci"].low, f["recall_flag_ci"].high],
                    "fpr_flag_ci": [f["fpr_flag_ci"].low, f["fpr_flag_ci"].high],
                    "roc_auc": f["roc_auc"],
                    "ap": f["ap"],
                    "ece": f["reliability"].ece,
                    "other_fraud": [f["other_flagged"], f["other_n"]],
                }
        doc[sec.key] = {"title": sec.title, "figures": rows}
    return doc


def _inline(text: str) -> str:
    """Escape, then the two inline marks we use: **bold** and `code`."""
    out = html.escape(text)
    parts = out.split("**")
    out = "".join(p if i % 2 == 0 else f"<b>{p}</b>" for i, p in enumerate(parts))
    parts = out.split("`")
    return "".join(p if i % 2 == 0 else f"<code>{p}</code>" for i, p in enumerate(parts))


def markdown_to_html(md: str, base: Path, title: str) -> str:
    """The small Markdown subset we write (headings, tables, images, paragraphs), escaped;
    images embedded as data URIs so the file stands alone."""
    body: list[str] = []
    table: list[list[str]] = []

    def flush() -> None:
        if table:
            head, *rows = table
            body.append(
                "<table><thead><tr>"
                + "".join(f"<th>{c}</th>" for c in head)
                + "</tr></thead><tbody>"
            )
            body.extend("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
            body.append("</tbody></table>")
            table.clear()

    for line in md.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(set(c) <= {"-", ":"} for c in cells):
                table.append([_inline(c) for c in cells])
            continue
        flush()
        if line.startswith("#"):
            level = min(len(line) - len(line.lstrip("#")), 4)
            body.append(f"<h{level}>{_inline(line.lstrip('#').strip())}</h{level}>")
        elif line.startswith("![") and "](" in line and line.endswith(")"):
            alt, src = line[2:-1].split("](", 1)
            path = base / Path(src).name
            if path.is_file():
                data = base64.b64encode(path.read_bytes()).decode("ascii")
                body.append(
                    f'<p><img alt="{html.escape(alt)}" src="data:image/png;base64,{data}"></p>'
                )
        elif line.startswith("- "):
            body.append(f"<ul><li>{_inline(line[2:])}</li></ul>")
        elif line.strip():
            body.append(f"<p>{_inline(line)}</p>")
    flush()
    style = (
        "body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em}"
        "table{border-collapse:collapse;font-size:12px;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
        "td:first-child,td:nth-child(2){text-align:left}img{max-width:100%}"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        f"img-src data:; style-src 'unsafe-inline'\"><title>{html.escape(title)}</title>"
        f"<style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
