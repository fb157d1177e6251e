"""Streamed CSV: UTF-8 with a byte-order mark (so Excel reads Chinese), rows, then the trailer."""
import csv
import io

from marketplace.reports.integrity import RowDigest, trailer_rows

BOM = "\ufeff"


def csv_stream(columns, rows, finish, chunk_rows=500):
    """Yield the CSV as bytes, a few hundred rows at a time, never holding all the rows.

    :param rows: an iterable of lists of cells (consumed once, lazily).
    :param finish: called as finish(row_count, sha256) after the last row; returns the
        [(key, value)] metadata written as the trailer (and may log the export).
    """
    digest = RowDigest()
    yield (BOM + digest.header(columns)).encode("utf-8")
    pending = []
    for row in rows:
        pending.append(digest.line(row))
        if len(pending) >= chunk_rows:
            yield "".join(pending).encode("utf-8")
            pending = []
    if pending:
        yield "".join(pending).encode("utf-8")
    meta = finish(digest.row_count, digest.hexdigest())
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([])
    writer.writerows(trailer_rows(meta))
    yield buffer.getvalue().encode("utf-8")
