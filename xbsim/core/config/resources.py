"""What a run will ask of the machine, estimated from its sizes before it starts, and the documented caps.

The memory model is linear in the sizes that allocate (docs/ODD.md, section 8, "Resource limits"): a fixed part, a
part per actor (population arrays, Mesa agents, state), the clue tables (``N x clues.k`` indices and scores) and the
scoring blocks (``BLOCK_ROWS x min(clues.max_candidates, N) x dimensions`` gap tensors). Its coefficients were
measured (peak RSS of runs of 2,054 to 14,044 actors and clues.k of 5 to 1,000; the estimate is above every one);
a run whose estimate exceeds the memory available now is refused with the estimate, before anything is written.
"""

from __future__ import annotations

import os
from typing import Any

MAX_HORIZON_MONTHS = 1200  # assumption: 100 years; the model has no firm entry or exit, longer horizons mean nothing
MAX_COMPANIES = 10_000_000  # assumption: above every NUTS2 business economy of Europe (Ile-de-France: ~1.2 M firms)
FIXED_BYTES = 32 * 2**20  # measured: 40-45 MB above the interpreter for a 2,000-company run, blocks included
BYTES_PER_ACTOR = 4096  # measured: about 3 KB per actor (8,054 vs 2,054 actors)
BYTES_PER_CLUE = 24  # measured: about 22 bytes per actor x clues.k (k = 1,000 vs 5)
BYTES_PER_BLOCK_CELL = 8  # a float64 (rows x columns x dimensions) gap tensor per scoring block
BLOCK_ROWS = 256  # xbsim.programme.clues.BLOCK_ROWS (not imported: config sits below mechanisms)


def n_actors(c: dict[str, Any]) -> int:
    """Actors of a run: the companies (``population.n_companies``, or the real scale) and the other actors."""
    others = sum(
        int(n)
        for typ in (c.get("actors") or {}).values()
        for per_area in (typ["counts"] or {}).values()
        for n in (per_area or {}).values()
    )
    n = c["population"]["n_companies"]
    if n is None:
        from xbsim.core.domain import Domain
        from xbsim.core.population.synthetic import company_counts

        n = int(company_counts(Domain.from_config(c), c["population"]).sum())
    return int(n) + others


def memory_estimate(c: dict[str, Any]) -> tuple[int, str]:
    """(bytes, the key of the largest size-driven term) a run of the resolved config ``c`` needs at its peak."""
    n = n_actors(c)
    k = min(int(c["clues"]["k"]), int(c["clues"]["max_candidates"]), n)
    cols = min(int(c["clues"]["max_candidates"]), n)
    terms = {
        "population.n_companies": BYTES_PER_ACTOR * n,
        "clues.k": BYTES_PER_CLUE * n * k,
        "clues.max_candidates": BYTES_PER_BLOCK_CELL * min(BLOCK_ROWS, n) * cols * len(c["dimensions"]),
    }
    return FIXED_BYTES + sum(terms.values()), max(terms, key=lambda key: terms[key])


def available_memory() -> int | None:
    """Bytes of memory available to a new process now (Linux MemAvailable, cgroup limit), None if unknown."""
    found: list[int] = []
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    found.append(int(line.split()[1]) * 1024)
    except OSError:
        pass
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            with open(path, encoding="ascii") as f:
                text = f.read().strip()
        except OSError:
            continue
        if text.isdigit() and int(text) < 2**60:
            found.append(int(text))
    if not found:
        try:
            found.append(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
        except (ValueError, OSError):
            return None
    return min(found)


def gb(n: float) -> str:
    return f"{n / 2**30:.1f} GB"
