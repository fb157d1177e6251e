"""bench/signed_in_profile.py counts the database backend's CPU beside the app's."""
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import signed_in_profile  # noqa: E402


def test_backend_cpu_reads_the_process_named():
    before = signed_in_profile.backend_cpu_ms(os.getpid())
    start = time.process_time()
    while time.process_time() - start < 0.1:  # 100 ms of this process's CPU
        pass
    spent = signed_in_profile.backend_cpu_ms(os.getpid()) - before
    assert 50 <= spent <= 1000


def test_without_a_database_process_nothing_is_counted():
    assert signed_in_profile.backend_cpu_ms(None) == 0.0
