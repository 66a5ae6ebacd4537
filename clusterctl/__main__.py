"""`python -m clusterctl` and the console script."""

import sys


def main() -> None:
    from clusterctl.errorhandler import main as run

    sys.exit(run())


if __name__ == "__main__":
    main()
