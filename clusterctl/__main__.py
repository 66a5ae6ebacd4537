"""`python -m clusterctl` and the console script."""

import os
import sys


def main() -> None:
    from clusterctl.errorhandler import main as run

    code = run()
    sys.stdout.flush()
    sys.stderr.flush()
    # Interpreter shutdown tears down the kubernetes client's modules and pools for ~0.3 s after the
    # answer is known; every file is closed or flushed by now, so leave at once.
    os._exit(code)


if __name__ == "__main__":
    main()
