"""Where the team's read-only test data is (``shared/data``, described in its READMEs).

It sits beside the checkout (``../shared/data``), as on the team's machines and in CI. A checkout
elsewhere, such as a clone in /tmp, points ``SOHOA_SHARED_DATA`` at it.
"""

from __future__ import annotations

import os
from pathlib import Path

BESIDE_CHECKOUT = Path(__file__).resolve().parents[2] / "shared" / "data"


def shared_data(*parts: str) -> Path:
    """A path under the shared data folder (not checked here: modules call this at import)."""
    return Path(os.environ.get("SOHOA_SHARED_DATA") or BESIDE_CHECKOUT).joinpath(*parts)
