"""Run localstripe with its store kept in memory only.

localstripe persists every write by pickling its whole store to the fixed path
/tmp/localstripe.pickle: each write gets slower as the store grows, a leftover file from another
run can crash its start-up, and two runs on one machine overwrite each other's state. The tests
want none of that, so this wrapper turns the persistence off and starts the real server.
"""
import localstripe.resources as resources
from localstripe.server import start

resources.Store.dump_to_disk = lambda self: None
resources.Store.try_load_from_disk = lambda self: None

if __name__ == "__main__":
    start()
