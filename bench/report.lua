-- wrk script for the load run (bench/load.py): at the end, prints one line of
-- JSON that bench/load.py reads. Latencies are in microseconds, as wrk measures
-- them. Errors are wrk's own count of responses with a status of 400 or more:
-- a response() function here would make wrk hand every response's headers and
-- body to Lua, which its documentation warns is slow, and the client shares the
-- machine with the server, so bigger responses would seem slower to serve.

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "status": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "timeout": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.status,
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
