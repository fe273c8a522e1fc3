-- wrk script of bench/run.sh: each request takes the next path of a file (one path a line), each
-- thread from its own offset; done() prints one line of figures for run.sh to read.
-- Usage: wrk -s bench/rotate.lua http://127.0.0.1:PORT -- PATHS_FILE
local threads = {}
local paths = {}
local next_path = 0

function setup(thread)
  thread:set("thread_number", #threads)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  next_path = (thread_number * 97) % #paths
end

function request()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "wrk-figures requests=%d duration_s=%.3f bytes=%d p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f max_ms=%.2f errors_connect=%d errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d\n",
    summary.requests, summary.duration / 1e6, summary.bytes,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.status, e.timeout))
end
