"""Helpers several test files share: runs under a file-size limit, and a check that
relates different dates."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

# Past the limit a write fails with EFBIG instead of the process being killed.
LIMITED_RUN = textwrap.dedent("""
    import resource, signal, sys
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    from powcount.cli import main
    sys.argv = ["powcount", *sys.argv[2:]]
    main()
""")


def run_with_file_size_limit(limit: int, args: list[str]) -> subprocess.CompletedProcess[str]:
    """``powcount ARGS`` in a child process that may write at most ``limit`` bytes a file."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "-c", LIMITED_RUN, str(limit), *args],
                          capture_output=True, text=True, env=env, timeout=120, check=False)


#: A Korean check relating the 1951 list to the 1953 releases on purpose.
RELATES_PERIODS_CHECK = """
  - name: held-list-against-later-releases
    conflict: korea
    left: [released_sick_wounded, released_after_armistice]
    relation: "<="
    right: [reported_held]
    relates_periods: true
    periods_rationale: A test of a check that relates different dates.
    rationale: Releases against an earlier list.
"""
