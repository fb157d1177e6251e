"""`flask jobs worker | scheduler | run NAME | runs`: the job queue's processes and records."""
import click
from flask import current_app
from flask.cli import with_appcontext
from rq import Worker
from rq.cron import CronScheduler

from marketplace.jobs import queue
from marketplace.jobs.schedule import SCHEDULE, recent_runs, run_scheduled


def register(app):
    app.cli.add_command(jobs_group)


@click.group("jobs")
def jobs_group():
    """Jobs off the request (RQ on REDIS_URL)."""


def _need_rq():
    if queue.backend() != "rq":
        raise click.ClickException("JOBS_BACKEND is not rq: set REDIS_URL (jobs run in process)")


@jobs_group.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty (tests, one-offs).")
@with_appcontext
def worker(burst):
    """Run queued jobs (as many worker processes as wanted, on any machine)."""
    _need_rq()
    queue._worker_app = current_app._get_current_object()
    rq_queue = queue.rq_queue()
    # with_scheduler: retries after a wait (and jobs enqueued for later) need RQ's scheduler.
    Worker([rq_queue], connection=rq_queue.connection).work(burst=burst, with_scheduler=True)


@jobs_group.command("scheduler")
@with_appcontext
def scheduler():
    """Enqueue the periodic jobs when due (run exactly one)."""
    _need_rq()
    cron = CronScheduler(connection=queue.redis_connection())
    for name, (expression, *_target) in SCHEDULE.items():
        cron.register(queue.run, queue.QUEUE_NAME, cron=expression, name=name,
                      args=("marketplace.jobs.schedule:run_scheduled", (name,), {}))
    cron.start()


@jobs_group.command("run")
@click.argument("name")
@with_appcontext
def run_now(name):
    """Run one scheduled job now, in this process, and record it (e.g. mail-send)."""
    if name not in SCHEDULE:
        raise click.ClickException(f"unknown job {name}; known: {', '.join(SCHEDULE)}")
    click.echo(f"{name}: {run_scheduled(name)}")


@jobs_group.command("runs")
@click.option("--limit", default=20, show_default=True)
@with_appcontext
def runs(limit):
    """The latest recorded runs of scheduled jobs."""
    for record in recent_runs(limit):
        outcome = record.error or f"count {record.count}"
        click.echo(f"{record.started_at:%Y-%m-%d %H:%M:%S} {record.name}: {outcome}")
