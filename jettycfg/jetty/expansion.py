"""Bounds of start.jar's ``${name}`` expansion (used by :func:`jettycfg.jetty.base.expand`)."""

from __future__ import annotations


class ExpansionLoop(ValueError):
    """``${a}`` refers back to itself through a chain of properties."""

    def __init__(self, chain: list[str]):
        self.chain = chain
        super().__init__(" -> ".join(chain))


MAX_EXPANSION = 1 << 20  # characters: `a=${b}${b}` nested 40 deep would be a terabyte
MAX_DEPTH = 32  # a chain a1=${a2}, a2=${a3}, ...: real bases nest a few levels
MAX_STEPS = 50_000  # references expanded for one base (real ones: a few hundred)


class Memo(dict[str, str]):  # finished expansions (exact to share) and the work done so far
    steps = 0


class ExpansionTooLarge(ExpansionLoop):
    """A ``${…}`` expansion past :data:`MAX_EXPANSION` or :data:`MAX_DEPTH` (a crafted base)."""

    def __init__(self, name: str, deep: bool = False):
        super().__init__([name])
        why = (
            f"over {MAX_DEPTH} levels or {MAX_STEPS:,} steps"
            if deep
            else f"{MAX_EXPANSION} characters"
        )
        self.args = (
            f"expanding {name} takes {why}" if deep else f"expanding {name} gives over {why}",
        )

    def __str__(self) -> str:
        return str(self.args[0])
