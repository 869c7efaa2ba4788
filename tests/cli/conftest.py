"""The lint fixtures, shared."""

from tests.lint.conftest import lint_base, lint_pki

__all__ = ["lint_base", "lint_pki"]
