"""What the planner's queries return to a person: journeys, boards and commutes as dataclasses.

Each result has ``to_dict()`` (exactly the documented JSON the CLI prints with ``--json``) and
``to_frame()`` (a pandas DataFrame, pandas imported only then). Times are timezone-aware
``datetime`` objects in the agency's timezone; the JSON writes them as ISO 8601.

One module per query (``journey``: plans; ``board``: departures; ``commute``), imported on first
use: creating a dataclass costs ~1 ms, so a warm `hbeu plan` builds only the four it returns.
"""

from __future__ import annotations

from ..._lazy import exports

_WHERE = {"Fare": "journey", "Leg": "journey", "Journey": "journey", "Plan": "journey", "place_dict": "journey",
          "Board": "board", "CommuteDay": "commute", "Commute": "commute"}

__all__ = sorted(_WHERE)

__getattr__ = exports(__name__, _WHERE)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
