"""Chinese in figures: matplotlib falls back, glyph by glyph, to an installed CJK font after its default one.

Only when the course speaks Chinese or a text needs CJK glyphs, so English figures never look for a font; when no
CJK font is installed, one warning says how to get one, instead of boxes drawn silently.
"""

from __future__ import annotations

import logging
import re
import warnings

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure

from .i18n import language

#: Fonts with Simplified Chinese glyphs, the first one installed is used: Linux, then macOS, then Windows.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "STHeiti",
    "Microsoft YaHei",
    "SimHei",
)
NO_CJK_FONT = (
    "No font with Chinese characters is installed, so matplotlib would draw the Chinese in figures as empty boxes. "
    "Install one and restart the kernel: on Debian or Ubuntu `sudo apt-get install fonts-noto-cjk` (or "
    "`fonts-wqy-zenhei`); macOS and Windows have one built in; on Binder, apt.txt installs it. "
    f"Any of these fonts works: {', '.join(CJK_FONTS)}."
)
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
_cjk: dict = {}  # "font": the CJK font found (None when there is none), once looked for; "warned": True once warned


def installed_cjk_font() -> str | None:
    """The first of CJK_FONTS that matplotlib's font manager knows, or None. matplotlib lists the fonts once and
    caches the list, so a font installed since (fonts-noto-cjk after matplotlib's first run) is not in it: then the
    system's fonts are listed again and the new ones added, in this process only."""

    def first_known() -> str | None:
        known = {font.name for font in font_manager.fontManager.ttflist}
        return next((name for name in CJK_FONTS if name in known), None)

    found = first_known()
    if found is None:
        listed = {font.fname for font in font_manager.fontManager.ttflist}
        for path in font_manager.findSystemFonts():
            if path not in listed:
                try:
                    font_manager.fontManager.addfont(path)
                except Exception:  # a file FreeType cannot read: not a font for us
                    continue
        found = first_known()
    return found


def needs_cjk(*texts) -> bool:
    """Whether the course speaks Chinese or one of `texts` has CJK characters."""
    return language() == "zh" or any(CJK.search(str(text)) for text in texts)


def use_cjk_font(*texts) -> str | None:
    """When the course speaks Chinese (or one of `texts` needs CJK glyphs), make matplotlib fall back to an
    installed CJK font after its default one (glyph by glyph, matplotlib >= 3.6), for the texts made from now on.
    Warns once, with the fix, when no CJK font is installed. Returns the font used, or None. English figures
    are left as they are: no font is added unless needed."""
    if not needs_cjk(*texts):
        return None
    if "font" not in _cjk:
        _cjk["font"] = installed_cjk_font()
    font = _cjk["font"]
    if font is None:
        if not _cjk.get("warned"):
            _cjk["warned"] = True
            warnings.warn(NO_CJK_FONT, stacklevel=2)
        return None
    families = list(matplotlib.rcParams["font.family"])
    if font not in families:
        matplotlib.rcParams["font.family"] = [*families, font]
        logging.getLogger("matplotlib.font_manager").addFilter(_quiet_about_weights)
    return font


def _quiet_about_weights(record: logging.LogRecord) -> bool:
    """Drop matplotlib's notice that a CJK font has no bold (or no "normal" weight, only medium) and another weight
    is used: that is expected, and every bold label would print it below the figure."""
    args = record.args if isinstance(record.args, tuple) else ()
    weights = str(record.msg).startswith("findfont: Failed to find font weight")
    return not (weights and len(args) > 1 and args[1] in CJK_FONTS)


def cjk_fallback(fig: Figure) -> None:
    """Give the texts of a figure made before the CJK font was chosen (axes made before a plot drew into them)
    the same fallback. Only once Chinese was needed: English figures are not walked."""
    if not needs_cjk() and _cjk.get("font") is None:
        return
    font = use_cjk_font() or _cjk.get("font")
    if font is None:
        return
    from matplotlib.text import Text

    for text in fig.findobj(Text):
        families = text.get_fontfamily()
        if font not in families and CJK.search(text.get_text()):
            text.set_fontfamily([*families, font])
