"""`scamlens evaluate`: held-out figures with baselines, curves and a report.

- `scamlens evaluate --data FILE`: score a labelled JSONL/CSV file with the shipped pipeline
  and the two baselines; Markdown/HTML report with PNG plots (see `report`).
- `scamlens evaluate protocol --shared DIR`: the full protocol (grouped cross-validation,
  cross-checks on text written differently, the independent written set, SMS ham).
- `scamlens evaluate --shared DIR --written FILE`: the first quick table (`legacy`).
"""

from scamlens.evaluation.cli import register

__all__ = ["register"]
