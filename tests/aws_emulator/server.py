"""The AWS emulator of the tests: moto's application, with our patches (moto_patches.py), behind the
strict front (front.py), on one loopback port. Every request reaches moto through the front; moto
itself listens nowhere else.

    python3 server.py [-H 127.0.0.1] [-p 0] [--patch MODULE]...

Its ready line, once it listens, is werkzeug's "Running on http://127.0.0.1:<port>"; each
request the front refuses is logged on stderr ("strict AWS front refused ..."). --patch imports a
further module of this directory into the emulator before it serves (a module that changes what
moto does, e.g. one that runs real workers for an ECS service), and calls its
install_from_environment() when it has one; such a module reads its settings from the environment. launcher.py starts this for Python tests; tests/integration/support/moto.h
for C++ ones."""
import argparse
import ctypes
import importlib
import os
import pathlib
import signal
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from werkzeug.serving import run_simple  # noqa: E402

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app  # noqa: E402

import front  # noqa: E402
import moto_patches  # noqa: E402

PR_SET_PDEATHSIG = 1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=0)
    parser.add_argument("--patch", action="append", default=[], metavar="MODULE",
                        help="a further module of tests/aws_emulator to import into moto before serving")
    args = parser.parse_args(argv)
    os.environ.setdefault("MOTO_PORT", str(args.port))
    moto_patches.apply()
    for name in args.patch:
        module = importlib.import_module(name)
        if hasattr(module, "install_from_environment"):
            module.install_from_environment()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    # Gone with the test that started it, even one that was killed.
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(args.host, args.port, front.StrictFront(app), threaded=True)


if __name__ == "__main__":
    main()
