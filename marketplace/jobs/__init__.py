"""Work done off the request: a job queue (RQ on Redis, or in process) and its scheduler.

`queue.enqueue` hands a job to RQ when `REDIS_URL` is set (`JOBS_BACKEND=rq`, the default
then), where `flask --app wsgi jobs worker` runs it; without Redis (`JOBS_BACKEND=inprocess`)
the job runs at once in the calling process, so development and the demo need nothing else.
`schedule` lists the periodic work that `flask --app wsgi jobs scheduler` enqueues, each run
recorded as a `JobRun`.
"""
