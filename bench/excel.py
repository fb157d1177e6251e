"""The ledger's Excel export, before and after its fast rows, measured in the same run.

    DATABASE_URL=sqlite:///instance/bench.sqlite python bench/generate.py --scale 0.05 --reset
    DATABASE_URL=sqlite:///instance/bench.sqlite python bench/excel.py --year 2026

Each writer runs in a child process of its own (the admin's whole-year ledger, the app's own
`exports.ledger_parts`, written to a file): "before" is the writer of commit 9bd110e (every cell
through XlsxWriter's methods, kept as tests/reports/xlsx_reference.py), "after" the app's
(`marketplace/reports/writers/xlsx_export.py`, data rows as XML). Both must give the same rows
digest. Printed: seconds, rows, file size, the child's peak RSS (ru_maxrss) and the load
average before each run; the runs alternate (before, after, before, after...) so both meet the
same load.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, database_url, make_app  # noqa: E402


def child(which, year, out):
    from marketplace.accounts.models import User
    from marketplace.reports import exports

    if which == "before":
        sys.path.insert(0, str(ROOT))
        from tests.reports.xlsx_reference import write_xlsx
    else:
        from marketplace.reports.writers.xlsx_export import write_xlsx
    app = make_app(database_url())
    with app.test_request_context():
        admin = User.query.filter_by(role="admin").first()
        parts = exports.ledger_parts(admin, year, "xlsx", {})
        start = time.perf_counter()
        with open(out, "wb") as handle:
            count, sha256 = write_xlsx(
                handle, columns=parts.columns, kinds=parts.kinds, rows=parts.rows,
                title_lines=parts.title_lines, sheet_title=parts.sheet_title,
                finish=lambda n, digest: parts.head + [("rows", n), ("sha256", digest)],
                totals=parts.totals, tmpdir=os.path.dirname(out))
        seconds = time.perf_counter() - start
    print(json.dumps({"which": which, "seconds": seconds, "rows": count, "sha256": sha256,
                      "bytes": os.path.getsize(out),
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--out", default=str(ROOT / "instance" / "bench"))
    parser.add_argument("--child", choices=("before", "after"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.child:
        child(args.child, args.year, str(out / f"ledger-{args.child}.xlsx"))
        return
    print(f"ledger.xlsx, year {args.year}, {database_url().split('://')[0]}, "
          f"{os.cpu_count()} cores")
    results = {"before": [], "after": []}
    for _round in range(args.repeat):
        for which in ("before", "after"):
            load = os.getloadavg()
            answer = subprocess.run([sys.executable, __file__, "--child", which, "--year",
                                     str(args.year), "--out", str(out)],
                                    capture_output=True, text=True, check=True)
            figures = json.loads(answer.stdout.strip().splitlines()[-1])
            results[which].append(figures)
            print(f"  {which:6} {figures['seconds']:7.2f} s  {figures['rows']:,} rows  "
                  f"{figures['bytes'] / 1e6:.1f} MB  peak RSS {figures['peak_rss_mb']:.0f} MB  "
                  f"load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
    digests = {figures["sha256"] for runs in results.values() for figures in runs}
    best = {which: min(f["seconds"] for f in runs) for which, runs in results.items()}
    print(f"best: before {best['before']:.2f} s, after {best['after']:.2f} s, "
          f"{best['before'] / best['after']:.2f}× faster; same rows digest: {len(digests) == 1}")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
