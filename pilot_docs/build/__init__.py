"""The build: jobs and their keys, rendering on every core, the output folder, bundles and the overview.

`build`, `BuildResult` and `FORMATS` are imported from pipeline.py when first asked for, so that a module of
another step (returns/ledger.py writes through build/output.py) can import a piece of build/ without the
whole pipeline.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FORMATS", "BuildResult", "build"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
