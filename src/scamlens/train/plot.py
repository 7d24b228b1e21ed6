"""The training-time reliability plot (out-of-fold), drawn with matplotlib's Agg backend.

Deterministic: no timestamps or software tag in the PNG, so equal bins give equal bytes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any


def reliability_plot(bins: Mapping[str, Sequence[Mapping[str, Any]]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    parts = list(bins)
    fig, axes = plt.subplots(1, len(parts), figsize=(4.2 * len(parts), 4.2), dpi=80)
    axes_list = list(axes) if len(parts) > 1 else [axes]
    for ax, name in zip(axes_list, parts, strict=True):
        rows = bins[name]
        xs = [float(r["mean_predicted"]) for r in rows]
        ys = [float(r["observed"]) for r in rows]
        sizes = [max(8.0, min(200.0, float(r["count"]) / 5)) for r in rows]
        ax.plot([0, 1], [0, 1], color="0.6", linewidth=1, linestyle="--")
        ax.plot(xs, ys, color="tab:blue", linewidth=1)
        ax.scatter(xs, ys, s=sizes, color="tab:blue")
        for x, y, r in zip(xs, ys, rows, strict=True):
            ax.annotate(str(r["count"]), (x, y), fontsize=6, xytext=(3, -8),
                        textcoords="offset points")  # fmt: skip
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_xlabel("mean predicted risk")
        ax.set_ylabel("observed scam rate")
        ax.set_title(f"{name} (out-of-fold, training mix)", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, format="png", metadata={"Software": None})
    plt.close(fig)
