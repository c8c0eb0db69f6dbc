"""A font for Chinese names in matplotlib charts, or the knowledge that there is none.

matplotlib's default DejaVu Sans has no CJK glyphs: Chinese names come out as empty boxes
with a "Glyph missing" warning per character. The optional ``mplfonts`` package (PyPI) ships
Noto Sans CJK SC; otherwise a CJK font installed on the system is used. When neither exists,
``cjk_family()`` returns None and charts fall back to English names.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

from .places.names import has_cjk

__all__ = ["cjk_family", "has_cjk"]

_PACKAGED = ("NotoSansCJKsc-Regular.otf", "SourceHanSansSC-Regular.otf", "SimHei.ttf")
_SYSTEM_HINTS = ("Noto Sans CJK", "Noto Sans SC", "Source Han Sans", "WenQuanYi", "SimHei", "Microsoft YaHei",
                 "PingFang", "Hiragino Sans GB", "AR PL")


@functools.lru_cache(maxsize=1)
def cjk_family() -> str | None:
    """The family name of a CJK font registered with matplotlib, or None."""
    from matplotlib import font_manager

    spec = importlib.util.find_spec("mplfonts")
    if spec is not None and spec.origin:
        folder = Path(spec.origin).parent / "fonts"
        for name in _PACKAGED:
            f = folder / name
            if f.is_file():
                font_manager.fontManager.addfont(str(f))
                return font_manager.FontProperties(fname=str(f)).get_name()
    for entry in font_manager.fontManager.ttflist:
        if any(h.lower() in entry.name.lower() for h in _SYSTEM_HINTS):
            return entry.name
    return None


