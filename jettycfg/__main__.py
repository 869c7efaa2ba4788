"""Allow ``python -m jettycfg``."""

from jettycfg.cli import main

if __name__ == "__main__":
    main()
