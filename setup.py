"""Package discovery only (everything else is in pyproject.toml): every hbeu_transit package is
found, so a new subpackage needs no entry anywhere, plus the data-only packages that
pyproject.toml maps from data/ (find_packages cannot see those: they are not under hbeu_transit/)."""

from setuptools import find_packages, setup

DATA_PACKAGES = ["hbeu_transit._data", "hbeu_transit._spec", "hbeu_transit._scenarios"]

setup(packages=find_packages(include=["hbeu_transit", "hbeu_transit.*"]) + DATA_PACKAGES)
