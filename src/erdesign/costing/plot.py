"""Cost charts (matplotlib, the optional `plot` extra): per circuit, the cumulative TCO of the Metered
and Unlimited plans over the months and the monthly cost against outbound volume with the break-even
marked; and the monthly cost by component. Unpriced figures are never drawn as 0: a circuit whose
plans cannot be compared is named with the reason, and unpriced lines are counted under the bars.

``figure(report)`` returns a matplotlib Figure (a notebook displays it); ``chart_bytes(report, "png")``
renders PNG or SVG.
"""
from __future__ import annotations

import io
from decimal import Decimal
from typing import Optional

INSTALL_HINT = "pip install 'erdesign[plot]'"
FORMATS = ("png", "svg")

_COMPONENT_LABELS = {
    "circuit_port": "circuit ports", "circuit_egress": "outbound data", "direct_port_pair": "Direct ports",
    "direct_premium_addon": "Premium add-on", "er_gateway": "ExpressRoute gateways", "vpn_gateway": "VPN gateways",
    "vpn_data": "VPN data", "vnet_peering": "VNet peering", "global_reach_data": "Global Reach data",
    "carrier_virtual_circuit": "carrier virtual circuits", "cross_connect": "cross-connects",
}


class MatplotlibMissing(ImportError):
    pass


def _matplotlib():
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise MatplotlibMissing(f"cost charts need matplotlib: {INSTALL_HINT}") from None
    return Figure


def plan_series(row, months: int) -> Optional[dict]:
    """Cumulative cost per month of one circuit on each plan, at its outbound usage (0 GB when none
    is given); None when the plans cannot be compared (a price is missing, or Local / Direct)."""
    if not row.comparable or row.metered_port is None or row.unlimited_port is None or row.egress_rate is None:
        return None
    gb = row.egress_gb if row.egress_gb is not None else Decimal(0)
    metered = row.metered_port + gb * row.egress_rate
    unlimited = row.unlimited_port
    return {"months": list(range(0, months + 1)),
            "metered": [float(metered * m) for m in range(0, months + 1)],
            "unlimited": [float(unlimited * m) for m in range(0, months + 1)],
            "usage_gb": float(gb), "usage_given": row.egress_gb is not None}


def component_totals(report) -> tuple[dict[str, float], int]:
    """Monthly cost by component (priced lines), and how many monthly lines are unpriced."""
    out: dict[str, float] = {}
    unpriced = 0
    for line in report.lines:
        if line.is_one_time:
            continue
        if not line.priced:
            unpriced += 1
            continue
        label = _COMPONENT_LABELS.get(line.component, line.component)
        out[label] = out.get(label, 0.0) + float(line.monthly or 0)
    return out, unpriced


def figure(report):
    """The chart of a CostReport as a matplotlib Figure."""
    Figure = _matplotlib()
    fig = Figure(figsize=(13, 8.5), layout="constrained")
    grid = fig.add_gridspec(2, 2)
    tco_ax, volume_ax, parts_ax = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1]), fig.add_subplot(grid[1, :])
    currency = report.currency
    fig.suptitle(f"{report.design}: cost ({currency}, {report.months} months)")

    missing = []
    for row in report.comparisons:
        series = plan_series(row, report.months)
        if series is None:
            missing.append(f"{row.circuit}: {row.recommendation or 'plans not comparable'}")
            continue
        line, = tco_ax.plot(series["months"], series["metered"], label=f"{row.circuit} Metered")
        tco_ax.plot(series["months"], series["unlimited"], linestyle="--", color=line.get_color(),
                    label=f"{row.circuit} Unlimited")
        tco_ax.annotate(_tco_note(row, series, currency), (series["months"][-1], max(series["metered"][-1],
                        series["unlimited"][-1])), textcoords="offset points", xytext=(-5, 4), ha="right", fontsize=7,
                        color=line.get_color())
        _volume_panel(volume_ax, row, line.get_color(), currency)
    tco_ax.set_title("Cumulative cost per circuit (port + outbound data at the given usage)", fontsize=10)
    tco_ax.set_xlabel("month")
    tco_ax.set_ylabel(f"cumulative {currency}")
    volume_ax.set_title("Monthly cost vs outbound volume, break-even marked", fontsize=10)
    volume_ax.set_xlabel("outbound GB / month")
    volume_ax.set_ylabel(f"{currency} / month")
    for ax in (tco_ax, volume_ax):
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7)
    if missing:
        text = "Not drawn (a price is missing, never shown as 0):\n" + "\n".join(_clip(m) for m in missing[:6])
        if len(missing) > 6:
            text += f"\n… and {len(missing) - 6} more"
        tco_ax.text(0.02, 0.98, text, transform=tco_ax.transAxes, va="top", fontsize=7,
                    bbox={"boxstyle": "round", "facecolor": "#fff4d6", "edgecolor": "#e69500"})

    parts, unpriced = component_totals(report)
    names = sorted(parts, key=parts.get)
    parts_ax.barh(names, [parts[n] for n in names], color="#1f6fb2")
    for y, name in enumerate(names):
        parts_ax.text(parts[name], y, f" {parts[name]:,.2f}", va="center", fontsize=8)
    parts_ax.set_title("Monthly cost by component (priced lines)", fontsize=10)
    parts_ax.set_xlabel(f"{currency} / month")
    if unpriced:
        parts_ax.text(1.0, -0.18, f"{unpriced} monthly line(s) UNPRICED, not included: the bars are lower bounds",
                      transform=parts_ax.transAxes, ha="right", fontsize=8, color="#c62828")
    return fig


def _volume_panel(ax, row, color, currency: str) -> None:
    capacity = float(row.capacity_gb) if row.capacity_gb else 0.0
    be = float(row.break_even_gb) if row.break_even_gb is not None else None
    usage = float(row.egress_gb) if row.egress_gb is not None else None
    top = max(x for x in (capacity * 0.25, (be or 0) * 2, (usage or 0) * 1.5, 1000.0) if x is not None)
    xs = [0.0, top]
    rate, metered, unlimited = float(row.egress_rate), float(row.metered_port), float(row.unlimited_port)
    ax.plot(xs, [metered + rate * x for x in xs], color=color, label=f"{row.circuit} Metered")
    ax.plot(xs, [unlimited, unlimited], color=color, linestyle="--", label=f"{row.circuit} Unlimited")
    if be is not None:
        ax.plot([be], [unlimited], marker="o", color=color)
        ax.annotate(f"break-even {be:,.0f} GB", (be, unlimited), textcoords="offset points", xytext=(5, 5), fontsize=7)
    if usage is not None:
        ax.axvline(usage, color=color, linestyle=":", linewidth=1)
        ax.annotate(f"usage {usage:,.0f} GB", (usage, metered + rate * usage), textcoords="offset points",
                    xytext=(4, -12), fontsize=7, color=color)


def _tco_note(row, series: dict, currency: str) -> str:
    gap = series["unlimited"][-1] - series["metered"][-1]
    cheaper = "Metered" if gap > 0 else "Unlimited"
    usage = f"{series['usage_gb']:,.0f} GB/month" if series["usage_given"] else "0 GB/month (no usage given)"
    be = f"; break-even {float(row.break_even_gb):,.0f} GB/month" if row.break_even_gb is not None else ""
    return f"{row.circuit}: {cheaper} saves {abs(gap):,.0f} {currency} at {usage}{be}"


def _clip(text: str, width: int = 85) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def chart_bytes(report, fmt: str) -> bytes:
    """The chart as PNG or SVG bytes (SVG without a creation date, so the same report gives the same file)."""
    if fmt not in FORMATS:
        raise ValueError(f"chart format must be one of {', '.join(FORMATS)}")
    _matplotlib()
    import matplotlib

    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    with matplotlib.rc_context({"svg.hashsalt": "erdesign"}):  # stable element ids in the SVG
        figure(report).savefig(buffer, format=fmt, dpi=110, metadata=metadata)
    return buffer.getvalue()
