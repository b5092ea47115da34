"""Named points where a process can be told to kill itself (SIGKILL), so the crash tests can
prove that no event is lost and no effect happens twice wherever a process dies.

Inactive unless `TF_CRASH_AT` names the point; `TF_CRASH_AFTER` lets it pass N times first.
"""

import os
import signal

_hits: dict[str, int] = {}


def crashpoint(name: str) -> None:
    if os.environ.get("TF_CRASH_AT") != name:
        return
    _hits[name] = _hits.get(name, 0) + 1
    if _hits[name] > int(os.environ.get("TF_CRASH_AFTER", "0")):
        os.kill(os.getpid(), signal.SIGKILL)
