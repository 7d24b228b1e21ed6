"""A risk as a whole percentage that never claims certainty the model does not give.

The calibrated risk stays inside (0, 1) (train/calibration.py), but rounding would still print
0.9996 as "100%" and 0.003 as "0%". Every surface (terminal, HTML report, case reports, web UI)
prints risk through this one function, so they agree.
"""

from __future__ import annotations


def risk_percent(risk: float | None) -> str:
    """'37%'; '>99%' for 0.995 <= risk < 1; '<1%' for 0 < risk < 0.005; '100%' / '0%' only at
    exactly 1 / 0 (None reads as 0)."""
    r = 0.0 if risk is None else float(risk)
    if r >= 1.0:
        return "100%"
    if r >= 0.995:
        return ">99%"
    if r <= 0.0:
        return "0%"
    if r < 0.005:
        return "<1%"
    return f"{int(r * 100 + 0.5)}%"  # half up: 0.5 % reads "1%", not round()'s "0%"
