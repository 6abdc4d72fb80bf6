"""A patch module for emulator_test.py's check of `server.py --patch`: loaded into the emulator, it
logs that it was installed there, with the setting it read from the environment."""
import os
import sys


def install_from_environment():
    print(f"probe patch installed in {os.getpid()} with {os.environ['FOSSA_PROBE_SETTING']}", file=sys.stderr, flush=True)
