"""
gunicorn settings for `make serve` and production, read from the environment.

    BIND              address to listen on (default 127.0.0.1:8000; 0.0.0.0:8000
                      behind a load balancer)
    WEB_CONCURRENCY   worker processes (default: 2 per CPU core, plus one)
    GUNICORN_THREADS  threads per worker (default 1: sync workers)
    GUNICORN_TIMEOUT  seconds before a stuck worker is restarted (default 30)
    FORWARDED_ALLOW_IPS  proxies whose X-Forwarded-* headers are believed
                      (default 127.0.0.1; the load balancer's address in production)
    GUNICORN_MAX_REQUESTS  restart a worker after this many requests (default 0: never)
"""

import multiprocessing
import os

bind = os.environ.get("BIND") or "127.0.0.1:8000"
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 30
keepalive = 5
# GUNICORN_MAX_REQUESTS recycles each worker after that many requests, a guard
# against a slow leak. Off by default: at cached-page rates a limit of a few
# thousand restarts every worker each few seconds, and a new worker starts with
# no database connection.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or 0)
max_requests_jitter = max_requests // 10
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
# The access log hides API keys sent in the address (?key=…): filmblog/accesslog.py.
logger_class = "filmblog.accesslog.AccessLogger"
errorlog = "-"
# Start each worker from a loaded application: faster restarts, shared memory.
preload_app = True
