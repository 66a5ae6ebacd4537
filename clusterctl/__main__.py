"""`python -m clusterctl` and the console script."""

import os
import signal
import sys


def main() -> None:
    from clusterctl.errorhandler import main as run
    from clusterctl import runfolder

    try:
        code = run()
    finally:
        # The kubernetes client's key files go on every way out; no Ctrl-C may cut that short.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        runfolder.remove()
    sys.stdout.flush()
    sys.stderr.flush()
    # Interpreter shutdown tears down the kubernetes client's modules and pools for ~0.3 s after the
    # answer is known; every file is closed or flushed by now and the key files are gone, so leave at once.
    os._exit(code)


if __name__ == "__main__":
    main()
