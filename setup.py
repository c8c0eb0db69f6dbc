"""Package discovery only (everything else is in pyproject.toml): every hbeu_transit package is
found, so a new subpackage needs no entry anywhere, plus each data-only package that
pyproject.toml maps from data/ in [tool.setuptools.package-dir] (find_packages cannot see those:
they are not under hbeu_transit/)."""

import tomllib
from pathlib import Path

from setuptools import find_packages, setup

_cfg = tomllib.loads((Path(__file__).parent / "pyproject.toml").read_text(encoding="utf-8"))
DATA_PACKAGES = sorted(_cfg["tool"]["setuptools"]["package-dir"])

setup(packages=find_packages(include=["hbeu_transit", "hbeu_transit.*"]) + DATA_PACKAGES)
