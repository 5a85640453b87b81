-- wrk script for the boot storm: every request is one phone asking for its own file, with its own Basic
-- credentials and its real User-Agent. Arguments (after --): devices.txt, then "keepalive" or "close"
-- (close: "Connection: close", so every request pays a new TCP and TLS connection).
-- Each wrk thread starts at its own place in the list and walks it round; requests are built once.

local threads = {}
local counter = 0

function setup(thread)
   thread:set("id", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

local requests = {}
local next_index = 1

function init(args)
   local file = args[1]
   local close = args[2] == "close"
   for line in io.lines(file) do
      local mac, auth, ua = line:match("^(%S+) (%S+) (.+)$")
      if mac then
         local headers = { ["Authorization"] = "Basic " .. auth, ["User-Agent"] = ua }
         if close then
            headers["Connection"] = "close"
         end
         table.insert(requests, wrk.format("GET", "/" .. mac .. ".cfg", headers))
      end
   end
   if #requests == 0 then
      error("no devices in " .. file)
   end
   next_index = (id * 7919) % #requests + 1
end

function request()
   local r = requests[next_index]
   next_index = next_index % #requests + 1
   return r
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.2f p99_ms=%.2f connect=%d read=%d write=%d status=%d timeout=%d\n",
      summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(99) / 1000,
      e.connect, e.read, e.write, e.status, e.timeout))
end
