#!/usr/bin/env bash
# Boot storm against the real alternative, in one run: N phones (default 2,000) each fetch their own
# authenticated, rendered file from Dialtone, then the very same bytes are served by nginx from disk with the
# same certificate and the same load (wrk: THREADS threads, CONNS connections, DURATION per run). Three runs
# each: keep-alive, a new TLS connection per request, and the boot walk (common file, own file, a static file
# of WALK_STATIC_KB, kept-alive). Each run is then repeated with bad input at the same time: per 100 phones,
# UNKNOWN_PCT (5) requests for unknown MACs and WRONG_PCT (2) with a wrong password, on BAD_CONNS connections of
# their own, each from its own address (X-Forwarded-For from a trusted loopback). Prints throughput, p50/p99,
# the ratios, Dialtone's resident memory and live heap, the refused answers (401/404, 429), the 503s and every
# other error, separately, how much the bad input slowed the known phones against its share of the answers, and
# the CPU time each server (and the whole machine, load generators included) spent per answer.
#
#   bench/boot-storm.sh [N]            e.g. bench/boot-storm.sh 100000
#   environment: DURATION (20s) WARMUP (10s, before each kind of run) ROUNDS (3: Dialtone and nginx alternately,
#   alone then beside the bad input, the median of each figure's rounds reported) THREADS (2) CONNS (64) UNKNOWN_PCT (5)
#   WRONG_PCT (2) BAD_CONNS (64) WALK_STATIC_KB (64)
#   API_USERS (200: users created one by one through the
#   API, to measure writes) JAVA_OPTS (Dialtone's JVM options) NMT=1 (print Native Memory Tracking's summary) JFR=1 (profile Dialtone's storms with Flight
#   Recorder and print the top frames; JFR_TOP=N of them) KEEP=1 (keep the work folder)
# Installs the Debian packages wrk and nginx-light when missing; builds target/dialtone.jar when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

N="${1:-2000}"
DURATION="${DURATION:-20s}"
THREADS="${THREADS:-2}"
CONNS="${CONNS:-64}"
BAD_CONNS="${BAD_CONNS:-64}"
WARMUP="${WARMUP:-10s}"
ROUNDS="${ROUNDS:-3}"
API_USERS="${API_USERS:-200}"
UNKNOWN_PCT="${UNKNOWN_PCT:-5}"
WRONG_PCT="${WRONG_PCT:-2}"
WALK_STATIC_KB="${WALK_STATIC_KB:-64}"
COMMON=/y000000000066.cfg
STATIC=/T46S-66.86.0.15.rom

. bench/lib.sh
bench_tools wrk:wrk nginx:nginx-light
bench_workdir storm

# --- Dialtone: a fresh data folder; a fixed public URL so a phone's file does not depend on the Host header;
# loopback a trusted proxy, so each phone's X-Forwarded-For address is its own for the failure throttle.
head -c "$((WALK_STATIC_KB * 1024))" /dev/urandom > "$WORK/override/yealink-t4x/files${STATIC}"
cp "$WORK/override/yealink-t4x/files${STATIC}" "$WORK/www${STATIC}"
export DIALTONE_SERVER_TRUSTED_PROXIES=127.0.0.1 DIALTONE_PHONE_PUBLIC_URL="https://prov.example.com:8443" \
       DIALTONE_SERVER_MAX_UPLOAD_BYTES=$((64 * 1024 * 1024))
if [ "${NMT:-}" = "1" ]; then start_dialtone -XX:NativeMemoryTracking=summary; else start_dialtone; fi
RSS_IDLE="$(rss_mb "$DIALTONE_PID")"

java -cp target/dialtone.jar bench/Seed.java "https://127.0.0.1:$ADMIN_PORT" "https://127.0.0.1:$PHONE_PORT" \
     "$WORK/server.crt" "$WORK/data/operator.token" "$WORK" "$N" "$API_USERS"
RSS_SEEDED="$(rss_mb "$DIALTONE_PID")"
curl -sf --cacert "$WORK/server.crt" -o "$WORK/www${COMMON}" "https://127.0.0.1:$PHONE_PORT${COMMON}" \
  || curl -sfk -o "$WORK/www${COMMON}" "https://127.0.0.1:$PHONE_PORT${COMMON}"

# --- nginx: the same certificate, the same files.
start_nginx text/plain

storm() { # url mode role connections [delay ms] -> RESULT line
  wrk -t"$THREADS" -c"$4" -d"$DURATION" --timeout 10s -s bench/storm.lua "$1" -- "$WORK/devices.txt" "$2" "$3" \
    "$UNKNOWN_PCT" "$WRONG_PCT" "$COMMON" "$STATIC" "${5:-0}" | grep '^RESULT'
}
CLK_TCK="$(getconf CLK_TCK)"
server_pids() { # dialtone|nginx -> the server's processes (nginx: the master and its workers)
  if [ "$1" = dialtone ]; then echo "$DIALTONE_PID"; else echo "$NGINX_PID" $(pgrep -P "$NGINX_PID"); fi
}
# timed dialtone|nginx command... -> the command's RESULT line, plus the CPU time per answer of the run (microseconds
# per request counted in it): cpu_us the server's own, all_us the whole machine's (the load generators' included).
# Less noisy than throughput on a small shared machine: it does not depend on how the cores were shared out.
# For Dialtone it also leaves the CPU each kind of its threads used in $WORK/threads.last (see thread_cpu).
timed() {
  local pids s0 m0 out n server="$1"
  pids="$(server_pids "$1")"; shift
  [ "$server" = dialtone ] && thread_ticks "$DIALTONE_PID" > "$WORK/threads.before"
  s0="$(proc_ticks $pids)"; m0="$(machine_ticks)"
  out="$("$@")"
  n="$(field "$out" requests)"
  if [ "$server" = dialtone ]; then
    thread_ticks "$DIALTONE_PID" > "$WORK/threads.after"
    thread_delta "$WORK/threads.before" "$WORK/threads.after" | sed "s/^/$(date +%s%N) $n /" > "$WORK/threads.last"
  fi
  echo "$out $(awk -v s="$(( $(proc_ticks $pids) - s0 ))" -v m="$(( $(machine_ticks) - m0 ))" -v n="$n" -v hz="$CLK_TCK" \
    'BEGIN {printf "cpu_us=%.1f all_us=%.1f", s * 1e6 / hz / n, m * 1e6 / hz / n}')"
}
field() { echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k {print $2}'; }
errors() { echo $(( $(field "$1" connect) + $(field "$1" read) + $(field "$1" write) + $(field "$1" other) + $(field "$1" timeout) )); }
load() { cut -d' ' -f1 /proc/loadavg; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
median() { # file of RESULT lines -> the line with the median rate
  local n; n="$(wc -l < "$1")"
  awk '{for (i = 1; i <= NF; i++) if ($i ~ /^rps=/) {split($i, kv, "="); print kv[2], $0}}' "$1" | sort -n \
    | sed -n "$(( (n + 1) / 2 ))p" | cut -d' ' -f2-
}
MIX=$(( UNKNOWN_PCT + WRONG_PCT ))
# The known phones on CONNS connections and, at the same time, the bad requests on BAD_CONNS connections of their
# own, paced to MIX per 100 of the known phones' rate alone (a delay per connection between requests; a request
# the throttle holds back holds only its own connection, as it would hold only the device that sent it).
mixed() { # server url mode known-rate-alone -> R[<server>_mix_<mode>], R[<server>_bad_<mode>]
  local pause
  pause="$(awk -v c="$BAD_CONNS" -v r="$4" -v m="$MIX" 'BEGIN {d = c * 1000 / (r * m / 100); print (d < 1 ? 1 : int(d))}')"
  storm "$2" "$3" bad "$BAD_CONNS" "$pause" > "$WORK/bad.result" &
  R[$1_mix_$3]="$(timed "$1" storm "$2" "$3" known "$CONNS")"
  [ "$1" = dialtone ] && cat "$WORK/threads.last" >> "$WORK/threads-$3-mix"
  wait $!
  R[$1_bad_$3]="$(cat "$WORK/bad.result")"
}

# Warm-up (JIT, pools) at the same load, not counted, the bad input's paths too (compiling them during a
# measured run would be charged to the bad input); then a pause so the next run starts on an idle server.
WARMUP_BAD=""
if [ "$MIX" -gt 0 ]; then
  storm "https://127.0.0.1:$PHONE_PORT" keepalive bad "$BAD_CONNS" 100 >/dev/null &
  WARMUP_BAD=$!
fi
storm "https://127.0.0.1:$PHONE_PORT" keepalive known "$CONNS" >/dev/null || true
[ -z "$WARMUP_BAD" ] || wait "$WARMUP_BAD" || true
sleep 5

profile() { # start|stop name: Flight Recorder around one of Dialtone's runs, when JFR=1
  [ "${JFR:-}" = "1" ] || return 0
  if [ "$1" = start ]; then
    jcmd "$DIALTONE_PID" JFR.start name="$2" settings=profile filename="$WORK/storm-$2.jfr" >/dev/null
  else
    jcmd "$DIALTONE_PID" JFR.stop name="$2" >/dev/null
  fi
}

declare -A R
MODES="${MODES:-keepalive close walk}"
for mode in $MODES; do
  # Each kind of run warmed up on Dialtone first: a path the JIT compiles during a measured run is charged to it
  # (Flight Recorder and perf showed a C2 compiler thread on a sixth of the machine in an unwarmed run).
  DURATION="$WARMUP" storm "https://127.0.0.1:$PHONE_PORT" "$mode" known "$CONNS" >/dev/null || true
  sleep 2
  R[load_$mode]="$(load)"
  # ROUNDS rounds, each Dialtone then nginx alone, then (with bad input) Dialtone then nginx beside it; each figure
  # the median of its rounds. On this VM one pair of runs can differ by a fifth from the next, and periodic work
  # (a phone's last-seen record is rewritten after 60 s) must fall into runs alone and mixed alike.
  for f in dialtone nginx dialtone_mix nginx_mix dialtone_bad nginx_bad; do : > "$WORK/$f.rounds"; done
  R[ratios_$mode]=""
  for round in $(seq 1 "$ROUNDS"); do
    [ "$round" = 1 ] && profile start "$mode"
    d="$(timed dialtone storm "https://127.0.0.1:$PHONE_PORT" "$mode" known "$CONNS")"
    cat "$WORK/threads.last" >> "$WORK/threads-$mode-alone"
    [ "$round" = 1 ] && profile stop "$mode"
    n="$(timed nginx storm "https://127.0.0.1:$NGINX_PORT" "$mode" known "$CONNS")"
    echo "$d" >> "$WORK/dialtone.rounds"; echo "$n" >> "$WORK/nginx.rounds"
    R[ratios_$mode]+="$(ratio "$(field "$d" rps)" "$(field "$n" rps)") "
    if [ "$MIX" -gt 0 ]; then
      [ "$round" = 1 ] && { R[load_mix_$mode]="$(load)"; profile start "$mode-mix"; }
      mixed dialtone "https://127.0.0.1:$PHONE_PORT" "$mode" "$(field "$d" rps)"
      [ "$round" = 1 ] && profile stop "$mode-mix"
      mixed nginx "https://127.0.0.1:$NGINX_PORT" "$mode" "$(field "$n" rps)"
      for server in dialtone nginx; do
        echo "${R[${server}_mix_$mode]}" >> "$WORK/${server}_mix.rounds"
        echo "${R[${server}_bad_$mode]}" >> "$WORK/${server}_bad.rounds"
      done
    fi
  done
  for f in dialtone nginx; do
    R[${f}_$mode]="$(median "$WORK/$f.rounds")"
    if [ "$MIX" -gt 0 ]; then
      R[${f}_mix_$mode]="$(median "$WORK/${f}_mix.rounds")"
      R[${f}_bad_$mode]="$(median "$WORK/${f}_bad.rounds")"
    fi
  done
done
RSS_STORM="$(rss_mb "$DIALTONE_PID")"
# What stays after a full collection: the live heap (devices, caches) and the resident memory the JVM keeps.
jcmd "$DIALTONE_PID" GC.run >/dev/null
sleep 3
RSS_GC="$(rss_mb "$DIALTONE_PID")"
HEAP_LIVE="$(jcmd "$DIALTONE_PID" GC.heap_info | grep -o 'used [0-9]*K' | head -1 | awk '{printf "%.0f", $2 / 1024}')"
# What of the rest is memory the C library (glibc malloc: TLS, Netty's native side) holds freed but not handed back.
jcmd "$DIALTONE_PID" System.trim_native_heap >/dev/null 2>&1 || true
sleep 1
RSS_TRIM="$(rss_mb "$DIALTONE_PID")"
[ "${NMT:-}" = "1" ] && jcmd "$DIALTONE_PID" VM.native_memory summary scale=MB > "$WORK/nmt.txt" 2>&1 || true

label() {
  case "$1" in keepalive) echo "keep-alive";; close) echo "new TLS connection/request";; *) echo "boot walk (3 files)";; esac
}
row() { # label load dialtone-result nginx-result
  printf "%-34s %6s | %10.0f %7s %7s %7s %5s %6s | %10.0f %7s %7s %7s %6s | %6.2f\n" "$1" "$2" \
    "$(field "$3" rps)" "$(field "$3" p50_ms)" "$(field "$3" p99_ms)" \
    "$(( $(field "$3" denied) + $(field "$3" throttled) ))" "$(field "$3" busy)" "$(errors "$3")" \
    "$(field "$4" rps)" "$(field "$4" p50_ms)" "$(field "$4" p99_ms)" "$(( $(field "$4" denied) + $(field "$4" throttled) ))" \
    "$(( $(errors "$4") + $(field "$4" busy) ))" "$(ratio "$(field "$3" rps)" "$(field "$4" rps)")"
}
echo
echo "Boot storm: $N phones, wrk -t$THREADS -c$CONNS -d$DURATION (each kind of run after a warm-up of $WARMUP), $(nproc) cores;"
echo "each figure the median of $ROUNDS rounds, the servers run alternately (every round's ratio alone below the table)"
[ "$MIX" -eq 0 ] || echo "with bad input: +${UNKNOWN_PCT}% unknown MACs and +${WRONG_PCT}% wrong passwords on $BAD_CONNS connections of their own (figures of the known phones' requests)"
printf "%-34s %6s | %10s %7s %7s %7s %5s %6s | %10s %7s %7s %7s %6s | %6s\n" "" "load" "Dialtone/s" "p50 ms" "p99 ms" \
  "refused" "503" "errors" "nginx/s" "p50 ms" "p99 ms" "refused" "errors" "ratio"
for mode in $MODES; do
  row "$(label "$mode")" "${R[load_$mode]}" "${R[dialtone_$mode]}" "${R[nginx_$mode]}"
  [ "$MIX" -gt 0 ] && row "$(label "$mode") + bad input" "${R[load_mix_$mode]}" "${R[dialtone_mix_$mode]}" "${R[nginx_mix_$mode]}"
done
for mode in $MODES; do
  printf "%-34s ratio in each round: %s\n" "$(label "$mode")" "${R[ratios_$mode]}"
done
echo
echo "CPU time per answer (microseconds, in each figure's run): the server's own, and the whole machine's (wrk included)"
printf "%-34s | %10s %10s | %10s %10s | %s\n" "" "Dialtone" "machine" "nginx" "machine" "Dialtone's CPU / nginx's"
cpu_row() { # label dialtone-result nginx-result
  printf "%-34s | %10s %10s | %10s %10s | %.2f\n" "$1" "$(field "$2" cpu_us)" "$(field "$2" all_us)" \
    "$(field "$3" cpu_us)" "$(field "$3" all_us)" "$(awk -v a="$(field "$2" cpu_us)" -v b="$(field "$3" cpu_us)" 'BEGIN {print a / b}')"
}
for mode in $MODES; do
  cpu_row "$(label "$mode")" "${R[dialtone_$mode]}" "${R[nginx_$mode]}"
  [ "$MIX" -gt 0 ] && cpu_row "$(label "$mode") + bad input (per known)" "${R[dialtone_mix_$mode]}" "${R[nginx_mix_$mode]}"
done
echo "Dialtone's CPU by kind of thread, microseconds per (known) answer over all rounds (the JIT compiler and the"
echo "collector included, which a Java profiler does not see):"
thread_cpu() { # file of "run requests name ticks" lines -> "name=us" by name, largest first
  [ -s "$1" ] || return 0
  awk -v hz="$CLK_TCK" '{t[$3] += $4; req[$1] = $2}
    END {for (r in req) n += req[r]; for (k in t) printf "%s=%.1f\n", k, t[k] * 1e6 / hz / n}' "$1" \
    | sort -t= -k2 -rn | head -8 | tr '\n' ' '
}
for mode in $MODES; do
  printf "%-20s alone: %s\n" "$(label "$mode")" "$(thread_cpu "$WORK/threads-$mode-alone")"
  [ "$MIX" -gt 0 ] && printf "%-20s mixed: %s\n" "" "$(thread_cpu "$WORK/threads-$mode-mix")"
done
if [ "$MIX" -gt 0 ]; then
  echo
  echo "Bad input (on its own connections), and what it cost the known phones:"
  printf "%-27s %-9s | %8s %6s %7s %7s | %7s %9s %7s %8s %6s | %s\n" "" "server" "bad/s" "share" "p50 ms" "p99 ms" \
    "401/404" "429" "503" "answered" "errors" "known phones' rate with / without"
  for mode in $MODES; do
    for server in dialtone nginx; do
      b="${R[${server}_bad_$mode]}"; k="${R[${server}_mix_$mode]}"; a="${R[${server}_$mode]}"
      printf "%-27s %-9s | %8.0f %5.1f%% %7s %7s | %7s %9s %7s %8s %6s | %s (%s slower)\n" "$(label "$mode")" "$server" \
        "$(field "$b" rps)" "$(awk -v b="$(field "$b" rps)" -v k="$(field "$k" rps)" 'BEGIN {printf "%.1f", 100 * b / (b + k)}')" \
        "$(field "$b" p50_ms)" "$(field "$b" p99_ms)" "$(field "$b" denied)" "$(field "$b" throttled)" "$(field "$b" busy)" \
        "$(field "$b" ok)" "$(( $(errors "$b") ))" "$(ratio "$(field "$k" rps)" "$(field "$a" rps)")" \
        "$(awk -v k="$(field "$k" rps)" -v a="$(field "$a" rps)" 'BEGIN {printf "%.1f%%", 100 * (1 - k / a)}')"
    done
  done
  echo "share: the bad requests' part of all answers in that run; answered: bad requests answered 2xx (nginx checks"
  echo "nothing); 401/404 and 429: the refusals (429 once the throttle refuses a source); errors: socket errors, timeouts"
  echo "and other statuses"
fi
echo
echo "Dialtone resident memory: ${RSS_IDLE} MB idle, ${RSS_SEEDED} MB after seeding $N devices, ${RSS_STORM} MB after the storms,"
echo "${RSS_GC} MB after a full collection (live heap then: ${HEAP_LIVE} MB), ${RSS_TRIM} MB once the C library handed back"
echo "what it held freed (jcmd System.trim_native_heap)"
if [ "${NMT:-}" = "1" ]; then
  echo "Native Memory Tracking after the full collection and the trim (committed, MB):"
  grep -E '^-|^Total' "$WORK/nmt.txt" | sed -E 's/\(reserved=[0-9]+MB, committed=([0-9]+)MB\)/\1/'
fi
echo "load: the 1-minute load average as each run started; refused: 401/404 and 429 answers; 503: busy; errors: socket"
echo "errors, timeouts and every other answer; Dialtone's ERROR log lines: $(grep -c ' ERROR ' "$WORK/dialtone.log" || true)"
if [ "${JFR:-}" = "1" ]; then
  for run in "$WORK"/storm-*.jfr; do
    run="${run##*/storm-}"; run="${run%.jfr}"
    echo; echo "== Flight Recorder, Dialtone's $run storm"
    java bench/JfrTop.java "$WORK/storm-$run.jfr" "${JFR_TOP:-15}"
  done
fi
