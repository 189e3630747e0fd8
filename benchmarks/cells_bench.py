"""Cell formatting: the two plain functions against one shared dispatch.

``powcount.render.cells`` keeps ``text_cell`` and ``plain_cell`` as two functions
although they dispatch on the same types. This times them against the shared form
that would replace them (one dispatch taking the format's words and number forms as
arguments) on the same mixed cells, after checking that both forms give the same
text. Numbers are nanoseconds a cell, the best of ``--repeats`` runs; on a shared
machine they are noisy, so compare the two lines of one run, not runs.

    python benchmarks/cells_bench.py [--cells 200000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import random
import timeit
from collections.abc import Callable

from powcount.render.base import Cell
from powcount.render.cells import plain_cell, text_cell


def shared_form(none: str, yes: str, no: str, integer: Callable[[int], str],
                decimal: Callable[[float], str]) -> Callable[[Cell], str]:
    def cell(value: Cell) -> str:
        if value is None:
            return none
        if isinstance(value, bool):
            return yes if value else no
        if isinstance(value, int):
            return integer(value)
        if isinstance(value, float):
            return decimal(value)
        return str(value)

    return cell


def _plain_float(value: float) -> str:
    return f"{value:.4g}" if abs(value) < 1e-3 and value else f"{round(value, 4)}"


SHARED = {
    "text_cell": (text_cell, shared_form("-", "yes", "no", "{:,}".format, "{:,.1f}".format)),
    "plain_cell": (plain_cell, shared_form("", "true", "false", str, _plain_float)),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    choices = [None, True, False, 12345, 7800, 3.14159, 0.0004, "korea", "over 7,800"]
    pick = random.Random(1)
    cells = [pick.choice(choices) for _ in range(args.cells)]
    for name, (plain, shared) in SHARED.items():
        if [plain(c) for c in cells] != [shared(c) for c in cells]:
            raise SystemExit(f"{name}: the shared form writes other text")
        for label, function in ((name, plain), ("shared form", shared)):
            best = min(timeit.repeat(lambda f=function: [f(c) for c in cells], number=1,
                                     repeat=args.repeats))
            print(f"{label:>12}: {best / len(cells) * 1e9:6.0f} ns a cell")


if __name__ == "__main__":
    main()
