#!/usr/bin/env bash
# Firmware storm against the real alternative, in one run: DOWNLOADS phones (default 200) download the same
# FIRMWARE_MB firmware (default 50 MB) at once over TLS, first from Dialtone (a static file under the templates
# override folder, streamed from disk), then the very same bytes from nginx with the same certificate (curl
# --parallel in CLIENTS processes, each download checked for status 200 and the full length). Prints both
# throughputs, the ratio, the load average, and Dialtone's resident memory before, at its peak during and after
# the downloads (it must stay flat: a download holds a chunk or two, never the file).
#
#   bench/firmware.sh                  DOWNLOADS=40 FIRMWARE_MB=20 bench/firmware.sh for a small machine
#   environment: DOWNLOADS (200) FIRMWARE_MB (50) CLIENTS (2) JAVA_OPTS (Dialtone's JVM options) KEEP=1
#   JFR=1 (profile Dialtone's storm with Flight Recorder and print the top frames; JFR_TOP=N of them)
# Installs the Debian packages nginx-light and curl when missing; builds target/dialtone.jar when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

DOWNLOADS="${DOWNLOADS:-200}"
FIRMWARE_MB="${FIRMWARE_MB:-50}"
CLIENTS="${CLIENTS:-2}"
FIRMWARE=/T46S-66.86.0.15.rom

. bench/lib.sh
bench_tools curl:curl nginx:nginx-light
bench_workdir firmware

# CPU seconds (user + system) a process and its children processes have used so far.
cpu_s() {
  local ticks=0 p
  for p in "$1" $(pgrep -P "$1" || true); do
    ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", t / hz}'
}

head -c "$((FIRMWARE_MB * 1024 * 1024))" /dev/urandom > "$WORK/override/yealink-t4x/files$FIRMWARE"
cp "$WORK/override/yealink-t4x/files$FIRMWARE" "$WORK/www$FIRMWARE"
SIZE="$(stat -c %s "$WORK/www$FIRMWARE")"

export DIALTONE_SERVER_MAX_CONNECTIONS_PER_ADDRESS=$((DOWNLOADS + 16))
start_dialtone
start_nginx application/octet-stream

# One storm: DOWNLOADS downloads of the firmware at once, spread over CLIENTS curl processes; while it runs,
# Dialtone's resident memory is sampled. Sets SECONDS_TAKEN, OK (200 with the full length), BUSY (503), FAILED.
download_storm() {
  local url="$1" per=$(( (DOWNLOADS + CLIENTS - 1) / CLIENTS )) left="$DOWNLOADS" pids=() c
  for c in $(seq 1 "$CLIENTS"); do
    local n=$(( left < per ? left : per )); left=$((left - n))
    : > "$WORK/curl-$c.conf"
    for _ in $(seq 1 "$n"); do printf 'url = "%s"\noutput = "/dev/null"\n' "$url" >> "$WORK/curl-$c.conf"; done
  done
  echo "$(rss_mb "$DIALTONE_PID")" > "$WORK/rss-peak"
  ( while sleep 0.5; do r="$(rss_mb "$DIALTONE_PID")"; [ "$r" -gt "$(cat "$WORK/rss-peak")" ] && echo "$r" > "$WORK/rss-peak"; done ) &
  local sampler=$!
  local start; start="$(date +%s.%N)"
  for c in $(seq 1 "$CLIENTS"); do
    curl -s --parallel --parallel-max "$per" --parallel-immediate --cacert "$WORK/server.crt" --max-time 1800 \
      -w '%{http_code} %{size_download}\n' -K "$WORK/curl-$c.conf" > "$WORK/curl-$c.out" 2>/dev/null &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || true; done
  SECONDS_TAKEN="$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.2f", e - s}')"
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
  OK="$(cat "$WORK"/curl-*.out | awk -v size="$SIZE" '$1 == 200 && $2 == size' | wc -l)"
  BUSY="$(cat "$WORK"/curl-*.out | awk '$1 == 503' | wc -l)"
  FAILED=$((DOWNLOADS - OK - BUSY))
}
mbps() { awk -v n="$OK" -v size="$SIZE" -v s="$SECONDS_TAKEN" 'BEGIN {printf "%.0f", n * size / 1048576 / s}'; }

for _ in 1 2 3; do   # warm-up (JIT, pools), not counted
  curl -s --cacert "$WORK/server.crt" -o /dev/null "https://127.0.0.1:$PHONE_PORT$FIRMWARE"
  curl -s --cacert "$WORK/server.crt" -o /dev/null "https://127.0.0.1:$NGINX_PORT$FIRMWARE"
done
sleep 2
RSS_BEFORE="$(rss_mb "$DIALTONE_PID")"
LOAD_D="$(cut -d' ' -f1 /proc/loadavg)"
CPU_START="$(cpu_s "$DIALTONE_PID")"
[ "${JFR:-}" = "1" ] && jcmd "$DIALTONE_PID" JFR.start name=firmware settings=profile filename="$WORK/firmware.jfr" >/dev/null
download_storm "https://127.0.0.1:$PHONE_PORT$FIRMWARE"
[ "${JFR:-}" = "1" ] && jcmd "$DIALTONE_PID" JFR.stop name=firmware >/dev/null
D_SECONDS="$SECONDS_TAKEN"; D_OK="$OK"; D_BUSY="$BUSY"; D_FAILED="$FAILED"; D_MBPS="$(mbps)"
D_CPU="$(awk -v a="$CPU_START" -v b="$(cpu_s "$DIALTONE_PID")" 'BEGIN {printf "%.1f", b - a}')"
RSS_PEAK="$(cat "$WORK/rss-peak")"; RSS_AFTER="$(rss_mb "$DIALTONE_PID")"
sleep 5
LOAD_N="$(cut -d' ' -f1 /proc/loadavg)"
CPU_START="$(cpu_s "$NGINX_PID")"
download_storm "https://127.0.0.1:$NGINX_PORT$FIRMWARE"
N_CPU="$(awk -v a="$CPU_START" -v b="$(cpu_s "$NGINX_PID")" 'BEGIN {printf "%.1f", b - a}')"
N_SECONDS="$SECONDS_TAKEN"; N_OK="$OK"; N_FAILED=$((FAILED + BUSY)); N_MBPS="$(mbps)"

echo
echo "Firmware storm: $DOWNLOADS downloads at once of a $FIRMWARE_MB MB file over TLS, $CLIENTS curl processes, $(nproc) cores"
printf "%-10s %6s %9s %8s %8s %6s %5s %7s\n" "" "load" "seconds" "MB/s" "CPU s" "ok" "503" "failed"
printf "%-10s %6s %9s %8s %8s %6s %5s %7s\n" "Dialtone" "$LOAD_D" "$D_SECONDS" "$D_MBPS" "$D_CPU" "$D_OK" "$D_BUSY" "$D_FAILED"
printf "%-10s %6s %9s %8s %8s %6s %5s %7s\n" "nginx" "$LOAD_N" "$N_SECONDS" "$N_MBPS" "$N_CPU" "$N_OK" "-" "$N_FAILED"
echo "ratio (Dialtone / nginx throughput): $(awk -v a="$D_MBPS" -v b="$N_MBPS" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')"
echo "Dialtone resident memory: ${RSS_BEFORE} MB before, ${RSS_PEAK} MB at the peak during the downloads, ${RSS_AFTER} MB after"
echo "CPU s: the server's user + system CPU seconds during its storm (less noisy than time on a shared machine)"
echo "load: the 1-minute load average as each storm started; Dialtone's ERROR log lines: $(grep -c ' ERROR ' "$WORK/dialtone.log" || true)"
if [ "${JFR:-}" = "1" ]; then
  echo; echo "== Flight Recorder, Dialtone's firmware storm"
  java bench/JfrTop.java "$WORK/firmware.jfr" "${JFR_TOP:-15}"
fi
