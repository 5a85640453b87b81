# Shared by the benchmarks that compare Dialtone with nginx (bench/boot-storm.sh, bench/firmware.sh): Debian
# tools, a work folder cleaned up on exit, free ports, resident memory, and both servers started alike: Dialtone
# on a fresh data folder, nginx with Dialtone's certificate over $WORK/www. Source it from the repository root.

# bench_tools command:package ... -> installs the Debian packages whose commands are missing; builds the jar.
bench_tools() {
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null
  fi
  [ -f target/dialtone.jar ] || mvn -q -DskipTests package
}

# bench_workdir name -> WORK (removed on exit unless KEEP=1, after both servers are stopped) and free ports
# PHONE_PORT, ADMIN_PORT, NGINX_PORT, MANAGEMENT_PORT.
bench_workdir() {
  WORK="$(mktemp -d "/tmp/dialtone-$1.XXXXXX")"
  chmod 755 "$WORK"
  mkdir -p "$WORK/override/yealink-t4x/files" "$WORK/www"
  DIALTONE_PID=""
  NGINX_PID=""
  trap bench_cleanup EXIT
  PHONE_PORT="$(free_port)"; ADMIN_PORT="$(free_port)"; NGINX_PORT="$(free_port)"; MANAGEMENT_PORT="$(free_port)"
}

bench_cleanup() {
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null || true
  [ -n "$DIALTONE_PID" ] && kill "$DIALTONE_PID" 2>/dev/null && wait "$DIALTONE_PID" 2>/dev/null || true
  [ "${KEEP:-}" = "1" ] && echo "work folder kept: $WORK" || rm -rf "$WORK"
}

free_port() {
  local port=$((20000 + RANDOM % 20000))
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
# proc_ticks pid... -> the CPU time (user + system, clock ticks) the processes have used so far
proc_ticks() { local t=0 p; for p in "$@"; do t=$(( t + $(awk '{print $14 + $15}' "/proc/$p/stat") )); done; echo "$t"; }
# thread_ticks pid -> one line per thread: its id, its name without the number (e.g. dialtone-worker-), its CPU ticks
thread_ticks() {
  local t
  for t in /proc/"$1"/task/*; do
    printf '%s %s %s\n' "${t##*/}" "$(sed 's/[-#0-9]*$//; s/ /_/g' "$t/comm" 2>/dev/null)" \
      "$(sed 's/.*) //' "$t/stat" 2>/dev/null | awk '{print $12 + $13}')"
  done 2>/dev/null || true
}
# thread_delta before after -> "name ticks" per thread name: the CPU each kind of thread used between two snapshots
thread_delta() {
  awk 'NR == FNR {b[$1] = $3; next} {d[$2] += $3 - ($1 in b ? b[$1] : 0)} END {for (n in d) if (d[n] > 0) print n, d[n]}' "$1" "$2"
}
# machine_ticks -> the CPU time every process on the machine has used so far (user, nice, system, irq, softirq)
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }

# start_dialtone [JVM option ...] -> DIALTONE_PID, once it has started: a fresh data folder under $WORK, the
# templates override folder $WORK/override, loopback ports; JAVA_OPTS and the DIALTONE_* already exported apply.
start_dialtone() {
  export DIALTONE_DATA_DIR="$WORK/data" DIALTONE_TLS_CERT="$WORK/server.crt" DIALTONE_TLS_KEY="$WORK/server.key" \
         DIALTONE_PHONE_HOST=127.0.0.1 DIALTONE_PHONE_PORT="$PHONE_PORT" DIALTONE_ADMIN_PORT="$ADMIN_PORT" \
         DIALTONE_MANAGEMENT_PORT="$MANAGEMENT_PORT" DIALTONE_TEMPLATES_OVERRIDE_DIR="$WORK/override"
  # shellcheck disable=SC2086
  java ${JAVA_OPTS:-} "$@" -jar "${DIALTONE_JAR:-target/dialtone.jar}" serve > "$WORK/dialtone.log" 2>&1 &
  DIALTONE_PID=$!
  for _ in $(seq 1 120); do
    grep -q "Dialtone started" "$WORK/dialtone.log" 2>/dev/null && return 0
    kill -0 "$DIALTONE_PID" 2>/dev/null || { cat "$WORK/dialtone.log"; exit 1; }
    sleep 1
  done
  echo "Dialtone did not start"; tail "$WORK/dialtone.log"; exit 1
}

# start_nginx default-type -> NGINX_PID: $WORK/www over TLS with Dialtone's certificate, as a provider would run
# it (Debian defaults, access log on).
start_nginx() {
  mkdir -p "$WORK/nginx/logs" "$WORK/nginx/tmp"
  cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  default_type $1;
  sendfile on;
  access_log $WORK/nginx/logs/access.log;
  client_body_temp_path $WORK/nginx/tmp/body;
  proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT ssl;
    ssl_certificate $WORK/server.crt;
    ssl_certificate_key $WORK/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    root $WORK/www;
  }
}
CONF
  chmod -R a+rX "$WORK/www"
  nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -g "daemon off;" &
  NGINX_PID=$!
  sleep 1
}
