"""The production WSGI application, with one addition for the benchmark's fairness measure: each
response carries the instant (ns since the epoch) at which the request entered the WSGI application,
i.e. its server-side arrival, and the worker process that served it (for the per-worker latency split).
Costs one clock read and two headers."""

import os
import time

from yiyun.config.wsgi import application as _django


def application(environ, start_response):
    arrived = str(time.time_ns())

    def stamped(status, headers, exc_info=None):
        headers.append(("X-Bench-Arrival", arrived))
        headers.append(("X-Bench-Worker", str(os.getpid())))
        return start_response(status, headers, exc_info)

    return _django(environ, stamped)
