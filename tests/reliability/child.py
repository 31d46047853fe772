"""Run engine code in a child process and measure its peak memory (resident set size)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]

_PRELUDE = """
import json, resource, sys, warnings
warnings.simplefilter("ignore")
def _done(result):
    # VmHWM is this program's own peak; ru_maxrss on Linux also counts the parent's memory
    # inherited through fork before exec.
    try:
        with open("/proc/self/status") as status:
            hwm = [l for l in status if l.startswith("VmHWM:")][0]
        peak_mb = int(hwm.split()[1]) / 1024
    except (OSError, IndexError):
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"result": result, "peak_mb": peak_mb}), flush=True)
"""


def run_child(
    code: str, *args: str, timeout: float = 120.0, as_user: int | None = None
) -> tuple[Any, float]:
    """Run ``code`` (which ends by calling ``_done(json_value)``) with ``sys.argv[1:] == args``.

    Returns (the value given to ``_done``, peak RSS of the child in MB). Fails loudly if the
    child crashes, hangs past ``timeout`` or prints nothing. ``as_user``: run as that uid
    (and gid), without supplementary groups, via setpriv (see ``can_run_as``).
    """
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    source = _PRELUDE + textwrap.dedent(code)
    proc = subprocess.run(
        [*_as(as_user), sys.executable, "-c", source, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=REPO,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise AssertionError(
            f"child failed (exit {proc.returncode}): {proc.stderr[-2000:]}{proc.stdout[-500:]}"
        )
    out = json.loads(lines[-1])
    return out["result"], float(out["peak_mb"])


def _as(uid: int | None) -> list[str]:
    if uid is None:
        return []
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups"]


def can_run_as(uid: int) -> bool:
    """True when this (root) process can run our Python as ``uid``: setpriv exists and the
    interpreter is reachable for that user."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        return False
    probe = subprocess.run(
        [*_as(uid), sys.executable, "-c", "import os; assert os.geteuid() != 0"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0
