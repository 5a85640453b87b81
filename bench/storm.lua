-- wrk script for the boot storm: every request is one phone asking for its own file, with its own Basic
-- credentials, its real User-Agent and its own source address (X-Forwarded-For, believed from 127.0.0.1:
-- bench/boot-storm.sh makes loopback a trusted proxy, so the failure throttle counts per phone as it would).
-- Arguments (after --): devices.txt, mode, role, unknown %, wrong-password %, common file, static file, delay ms.
--   mode "keepalive": own file on kept-alive connections; "close": "Connection: close", so every request pays a
--   new TCP and TLS connection; "walk": the boot walk, each phone asking for the common file, then its own
--   file, then a static file, on kept-alive connections.
--   role "known": the registered phones only. Role "bad": per 100 phones, unknown % requests for MACs nobody
--   registered (each from its own address, with credentials) and wrong-password % requests for known phones'
--   files with a wrong password (each from an address of its own: a stale or guessing device elsewhere, so the
--   known phone itself is never refused); each connection waits delay ms between requests, so the bad requests
--   come at the rate bench/boot-storm.sh asks for, on connections of their own, as real devices' would.
-- Each wrk thread starts at its own place in the list and walks it round; requests are built once. Answers are
-- counted by kind: ok (2xx, 304), denied (401/403/404: what the unknown and wrong ones should get), throttled
-- (429), busy (503), other.

local threads = {}
local counter = 0

function setup(thread)
   thread:set("id", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

local requests = {}
local next_index = 1
ok, denied, throttled, busy, other = 0, 0, 0, 0, 0

local function address(prefix, i)
   return string.format("%d.%d.%d.%d", prefix, math.floor(i / 65536) % 256, math.floor(i / 256) % 256, i % 256)
end

local function b64(s)
   local chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
   return ((s:gsub(".", function(x)
      local r, b = "", x:byte()
      for i = 8, 1, -1 do r = r .. (b % 2 ^ i - b % 2 ^ (i - 1) > 0 and "1" or "0") end
      return r
   end) .. "0000"):gsub("%d%d%d?%d?%d?%d?", function(x)
      if #x < 6 then return "" end
      local c = 0
      for i = 1, 6 do c = c + (x:sub(i, i) == "1" and 2 ^ (6 - i) or 0) end
      return chars:sub(c + 1, c + 1)
   end) .. ({ "", "==", "=" })[#s % 3 + 1])
end

function init(args)
   local file, mode, role = args[1], args[2], args[3]
   local unknown_pct, wrong_pct = tonumber(args[4] or "0"), tonumber(args[5] or "0")
   local common, static = args[6], args[7]
   local pause = tonumber(args[8] or "0")
   if pause > 0 then
      -- defined only when asked for: wrk arms a timer per request for a script that has delay()
      delay = function() return pause end
   end
   local function add(path, headers)
      if mode == "close" then
         headers["Connection"] = "close"
      end
      table.insert(requests, wrk.format("GET", path, headers))
   end
   local i = 0
   for line in io.lines(file) do
      local mac, auth, ua = line:match("^(%S+) (%S+) (.+)$")
      if mac then
         local function own()
            return { ["Authorization"] = "Basic " .. auth, ["User-Agent"] = ua, ["X-Forwarded-For"] = address(10, i) }
         end
         local slot = i % 100
         if role == "known" then
            if mode == "walk" then
               add(common, own())
            end
            add("/" .. mac .. ".cfg", own())
            if mode == "walk" then
               add(static, own())
            end
         elseif slot < unknown_pct then
            local stranger = string.format("805ec1%06x", i)
            add("/" .. stranger .. ".cfg", { ["Authorization"] = "Basic " .. b64(stranger .. ":not-registered"),
                                            ["User-Agent"] = ua, ["X-Forwarded-For"] = address(172, i) })
         elseif slot < unknown_pct + wrong_pct then
            add("/" .. mac .. ".cfg", { ["Authorization"] = "Basic " .. b64(mac .. ":wrong-password"),
                                        ["User-Agent"] = ua, ["X-Forwarded-For"] = address(192, i) })
         end
         i = i + 1
      end
   end
   if #requests == 0 then
      error("no requests for role " .. role .. " in " .. file)
   end
   next_index = (id * 7919) % #requests + 1
end

function request()
   local r = requests[next_index]
   next_index = next_index % #requests + 1
   return r
end

function response(status, headers, body)
   if status < 300 or status == 304 then
      ok = ok + 1
   elseif status == 401 or status == 403 or status == 404 then
      denied = denied + 1
   elseif status == 429 then
      throttled = throttled + 1
   elseif status == 503 then
      busy = busy + 1
   else
      other = other + 1
   end
end

function done(summary, latency, requests)
   local e = summary.errors
   local n = { ok = 0, denied = 0, throttled = 0, busy = 0, other = 0 }
   for _, t in ipairs(threads) do
      for k, _ in pairs(n) do
         n[k] = n[k] + (t:get(k) or 0)
      end
   end
   io.write(string.format(
      "RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.2f p99_ms=%.2f connect=%d read=%d write=%d timeout=%d "
         .. "ok=%d denied=%d throttled=%d busy=%d other=%d bytes=%d\n",
      summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(99) / 1000,
      e.connect, e.read, e.write, e.timeout, n.ok, n.denied, n.throttled, n.busy, n.other, summary.bytes))
end
