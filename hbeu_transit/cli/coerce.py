"""Option values without pydantic: typer (>= 0.2x) coerces every value through a pydantic
TypeAdapter, and importing pydantic and building the adapters costs more than a warm
`hbeu plan` routes (~0.1 s). Our options are plain str, int, float, bool, Path and Enum values, or
lists of them; ``install()`` has typer coerce those here, with the checks of its own adapters
(their error texts reworded to name the value given), and leaves every other annotation to
typer. Should typer's internals differ from what this expects, nothing is changed and typer
works as shipped.
"""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

_PLAIN = (str, int, float)


def _number(value: Any, kind: type, info: Any) -> Any:
    """``value`` as an int or float within the option's bounds; errors name the value given."""
    if not isinstance(value, kind) or isinstance(value, bool):
        try:
            value = kind(str(value).strip())
        except ValueError:
            what = "an integer" if kind is int else "a number"
            raise ValueError(f"{str(value)!r} is not {what}") from None
    if info.min is not None and value < info.min:
        raise ValueError(f"{value} is too small: should be greater than or equal to {info.min}")
    if info.max is not None and value > info.max:
        raise ValueError(f"{value} is too large: should be less than or equal to {info.max}")
    return value


_TRUE = {"1", "true", "t", "yes", "y", "on"}
_FALSE = {"0", "false", "f", "no", "n", "off", ""}


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise ValueError(f"{str(value)!r} is not a boolean (true or false)")


def _leaf(annotation: Any, info: Any):
    """A converter for one value of ``annotation``, or None for typer to handle."""
    from typer._param_types import coerce_cli_choice, coerce_cli_path, routes_to_path

    if getattr(info, "parser", None) is not None or getattr(info, "click_type", None) is not None:
        return None
    if annotation is str:
        return lambda v, param, ctx: v if isinstance(v, str) else str(v)
    if annotation is bool:
        return lambda v, param, ctx: _bool(v)
    if annotation in (int, float):
        if getattr(info, "clamp", False):
            return None
        return lambda v, param, ctx: _number(v, annotation, info)
    if isinstance(annotation, type) and issubclass(annotation, Enum):  # --by route|od|stop|hour
        choices, case = list(annotation), getattr(info, "case_sensitive", True)

        def choice(v, param, ctx):
            return coerce_cli_choice(v, choices=choices, case_sensitive=case, ctx=ctx)
        return choice
    if annotation is Path and routes_to_path(annotation, info) and info.path_type is None:
        return lambda v, param, ctx: coerce_cli_path(v if isinstance(v, Path) else _path(v), info,
                                                     path_type=Path, param=param, ctx=ctx)
    return None


def _path(text: str) -> Path:
    """A path option's value as a Path, refusing the empty text, which Path reads as "." (the
    current folder): `--cache-dir ""` (an unset shell variable, say) filled the folder the command
    ran in with caches, `--feed ""` read it as a feed. The one place every command's Path options
    (--cache-dir, --feed, --areas, -o, --png...) become Paths."""
    if text == "":
        raise ValueError("'' is an empty path, which names no file or folder: give one, or leave the option out")
    path = Path(text)
    if str(path) == "-" and text != "-":  # "./-", ".//-": a file named "-", as the shell reads it; pathlib
        return Path(os.path.abspath(text))   # folds them to "-", which the outputs read as standard output
    return path


def install() -> None:
    """Route typer's coercion of plain option values through ``_leaf`` (see the docstring)."""
    try:
        import typer.core as core
        from typer._click.exceptions import BadParameter
        from typer._coercion import RuntimeParam
    except ImportError:
        return
    original = getattr(core, "build_runtime_param", None)
    if original is None or getattr(original, "_hbeu", False):
        return

    class _Light(RuntimeParam):
        def __init__(self, parameter_info: Any, annotation: Any, convert, many: bool):
            object.__setattr__(self, "parameter_info", parameter_info)
            object.__setattr__(self, "annotation", annotation)
            object.__setattr__(self, "_convert", convert)
            object.__setattr__(self, "_many", many)

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            try:
                if self._many:
                    items = value if isinstance(value, (list, tuple)) else [value]
                    return [self._convert(v, param, ctx) for v in items]
                return self._convert(value, param, ctx)
            except ValueError as e:
                raise BadParameter(str(e), ctx=ctx, param=param) from None

    def build(descriptor: Any):
        ann, info = descriptor.annotation, descriptor.parameter_info
        if descriptor.file_annotation is None:
            many = get_origin(ann) is list and len(get_args(ann)) == 1
            convert = _leaf(get_args(ann)[0] if many else ann, info)
            if convert is not None:
                return _Light(info, ann, convert, many)
        return original(descriptor)

    build._hbeu = True
    core.build_runtime_param = build
