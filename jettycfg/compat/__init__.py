"""Private APIs of dependencies, each behind one small module: when Python or cryptography
changes them, `tests/test_compat.py` fails loudly here instead of deep inside a command."""
