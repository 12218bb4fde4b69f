"""Altair theme and static SVG rendering (vl-convert, in-process, no JavaScript, no network).

Charts reach reports as ``image/svg+xml`` outputs, which nbconvert embeds as data-URI images: the
HTML holds only the picture, never the rows behind it. Pass only aggregated, small-count-safe
frames to ``alt.Chart`` — every column of the frame ends up in the spec.
"""

from __future__ import annotations

from typing import Any

#: Font stack: vl-convert measures text with its embedded Liberation Sans; browsers pick Arial or
#: Liberation Sans (a bare "Arial" would make vl-convert drop all text, a bare "sans-serif" clips).
FONT = "Arial, Liberation Sans, sans-serif"
THEME_NAME = "dumpscope"
#: Colour-blind-safe categorical palette (Okabe-Ito).
PALETTE = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
]


def theme_config() -> dict[str, Any]:
    """The dumpscope Vega-Lite config (fonts, palette, sizes).

    Returns
    -------
    dict
        A Vega-Lite top-level ``{"config": ...}`` mapping.
    """
    return {
        "config": {
            "font": FONT,
            "view": {"continuousWidth": 560, "continuousHeight": 300, "stroke": None},
            "range": {"category": PALETTE},
            "axis": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 11},
            "legend": {"labelFont": FONT, "titleFont": FONT, "labelLimit": 260},
            "title": {"font": FONT, "fontSize": 14, "anchor": "start"},
            "header": {"labelFont": FONT, "titleFont": FONT},
            "mark": {"color": PALETTE[0]},
            "background": "white",
        }
    }


def enable_theme() -> None:
    """Register and enable the dumpscope altair theme and the static SVG renderer.

    Safe to call several times. Side effect: altair's global theme/renderer registries (the only
    global state dumpscope touches, and only inside a notebook kernel).
    """
    import altair as alt

    _register_theme()
    alt.theme.enable(THEME_NAME)
    alt.renderers.enable("svg")


def render_svg(chart: Any) -> str:
    """Render an altair chart (or a Vega-Lite dict) to an SVG string with vl-convert.

    Parameters
    ----------
    chart : altair.TopLevelMixin or dict
        The chart (rendered with the dumpscope theme; a chart's own ``configure_*`` settings
        still win); a dict without ``config`` gets the theme's config.

    Returns
    -------
    str
        The SVG document (deterministic: same spec, same bytes).
    """
    import vl_convert as vlc

    if isinstance(chart, dict):
        spec = chart if "config" in chart else {**chart, **theme_config()}
    else:
        import altair as alt

        _register_theme()
        with alt.theme.enable(THEME_NAME):
            spec = chart.to_dict()
    return vlc.vegalite_to_svg(spec, vl_version=_vl_version())


def _register_theme() -> None:
    import altair as alt

    if THEME_NAME not in alt.theme.names():
        alt.theme.register(THEME_NAME, enable=False)(theme_config)


def _vl_version() -> str:
    import altair as alt

    major, minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    return f"v{major}_{minor}"


def svg_bundle(chart: Any) -> dict[str, str]:
    """A Jupyter mime bundle ``{"image/svg+xml": svg}`` for ``IPython.display.display(raw=True)``."""
    return {"image/svg+xml": render_svg(chart)}


def show_chart(chart: Any) -> None:
    """Display a chart as a static SVG in the running notebook.

    Parameters
    ----------
    chart : altair chart or Vega-Lite dict
        Built from an aggregated frame (no row-level personal data).
    """
    from IPython.display import display

    display(svg_bundle(chart), raw=True)
