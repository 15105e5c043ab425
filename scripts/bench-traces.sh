#!/usr/bin/env bash
# The tracing benchmark (Benchmarks/README.md): builds Pharos and tracegen in release, generates realistic
# Zipkin traces once (reused on later runs), starts a fresh daemon, and measures JSON v2 and proto3 ingest,
# the daemon's peak memory, bytes on disk per span after a flush, and query latencies. Prints a summary.
#
# Knobs (environment):
#   SPANS         spans per dataset; the JSON and the proto dataset each have this many (default 10000000)
#   CLIENTS       concurrent keep-alive ingest connections (default 4)
#   BATCH         spans per request body (default 100)
#   QUERIES       timed requests per query kind (default 200); DEP_QUERIES for /dependencies (default 20)
#   SERVICES      nodes in the generated topology, 10–30 (default 20)
#   WORK          work directory for datasets and the daemon's data (default /tmp/pharos-trace-bench)
#   SCRATCH       SwiftPM build directory (default .build); SKIP_BUILD=1 uses what is there
#   PHAROS_ARGS   extra flags for `pharos serve`
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
SPANS="${SPANS:-10000000}"
CLIENTS="${CLIENTS:-4}"
BATCH="${BATCH:-100}"
QUERIES="${QUERIES:-200}"
DEP_QUERIES="${DEP_QUERIES:-20}"
SERVICES="${SERVICES:-20}"
WORK="${WORK:-/tmp/pharos-trace-bench}"
SCRATCH="${SCRATCH:-$repo/.build}"
PHAROS_ARGS="${PHAROS_ARGS:-}"

die() { echo "bench-traces: $*" >&2; exit 1; }
say() { echo "bench-traces: $*" >&2; }
[[ "$SPANS" =~ ^[1-9][0-9]*$ ]] || die "SPANS must be a positive integer, not '$SPANS'"
[[ "$CLIENTS" =~ ^[1-9][0-9]*$ ]] || die "CLIENTS must be a positive integer, not '$CLIENTS'"
[[ "$BATCH" =~ ^[1-9][0-9]*$ ]] || die "BATCH must be a positive integer, not '$BATCH'"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  say "building release (pharos, tracegen) in $SCRATCH"
  (cd "$repo" && swift build -c release --scratch-path "$SCRATCH" --product pharos >&2 \
    && swift build -c release --scratch-path "$SCRATCH" --product tracegen >&2)
fi
pharos="$SCRATCH/release/pharos"
tracegen="$SCRATCH/release/tracegen"
[[ -x "$pharos" && -x "$tracegen" ]] || die "no release build in $SCRATCH (run without SKIP_BUILD=1)"

# Datasets: one per format, different seeds so their trace ids are distinct. The name carries everything
# that shapes the data (and the generator's version), so a changed knob makes a new file instead of
# reusing a stale one.
mkdir -p "$WORK"
dataset() {  # format seed → path of the body file, generated when missing
  local format=$1 seed=$2
  local file="$WORK/traces-v1-$format-s$seed-n$SPANS-b$BATCH-t$SERVICES.bin"
  # Spans start two hours before generation; a dataset older than 5 days would meet the daemon's default
  # 7-day span retention, so it is made again.
  if [[ -s "$file" && -s "$file.sidecar.json" && -n "$(find "$file" -mtime -5)" ]]; then
    say "reusing $file"
  else
    say "generating $file"
    "$tracegen" generate --spans "$SPANS" --format "$format" --batch "$BATCH" --seed "$seed" --services "$SERVICES" \
      --out "$file.tmp" --sidecar "$file.sidecar.json" >&2
    mv "$file.tmp" "$file"
  fi
  echo "$file"
}
json_file="$(dataset json 1)"
proto_file="$(dataset proto 2)"

# A fresh daemon on free ports, killed (by its PID only) however this script ends.
data="$WORK/data"
ready="$WORK/ready"
rm -rf "$data" "$ready"
mkdir -p "$data"
# shellcheck disable=SC2086
"$pharos" serve --host 127.0.0.1 --http-port 0 --opentsdb-port 0 --data-dir "$data" --ready-file "$ready" \
  --log-level warning $PHAROS_ARGS >"$WORK/pharos.log" 2>&1 &
pid=$!
stop_daemon() {
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
}
trap stop_daemon EXIT
for _ in $(seq 1 300); do
  [[ -s "$ready" ]] && break
  kill -0 "$pid" 2>/dev/null || die "pharos exited during start-up; see $WORK/pharos.log"
  sleep 0.1
done
[[ -s "$ready" ]] || die "pharos did not write $ready within 30 s"
port="$(sed -n 's/.*http=\([0-9]*\).*/\1/p' "$ready")"
url="http://127.0.0.1:$port"
say "pharos pid $pid on $url, data in $data"

ticks="$(getconf CLK_TCK)"
cpu_seconds() {  # user+system CPU of the daemon so far
  awk -v t="$ticks" '{ print ($14 + $15) / t }' "/proc/$pid/stat"
}
field() {  # key line → value of key=… in a RESULT line
  sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"
}

ingest() {  # body file → RESULT line, with the daemon's CPU seconds appended
  local before after line out="$WORK/ingest.out"
  before="$(cpu_seconds)"
  # A run with failed requests still reports (tracegen exits 2); only a run without a result stops here.
  "$tracegen" ingest --url "$url" --file "$1" --clients "$CLIENTS" >"$out" || true
  cat "$out" >&2
  line="$(grep '^RESULT ingest' "$out")" || die "ingest of $1 failed (see above and $WORK/pharos.log)"
  after="$(cpu_seconds)"
  echo "$line server_cpu_s=$(awk -v a="$after" -v b="$before" 'BEGIN { printf "%.2f", a - b }')"
}
say "ingest JSON v2 with $CLIENTS clients, $BATCH spans/request"
json_result="$(ingest "$json_file")"
say "ingest proto3 with $CLIENTS clients, $BATCH spans/request"
proto_result="$(ingest "$proto_file")"

rss_peak_kb="$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status")"
rss_now_kb="$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")"

say "flush"
flush_start=$(date +%s.%N)
flush_reply="$(curl -sS -m 600 -XPOST "$url/api/admin/flush" -w ' HTTP %{http_code}')" || die "flush failed: $flush_reply"
flush_seconds="$(awk -v a="$(date +%s.%N)" -v b="$flush_start" 'BEGIN { printf "%.2f", a - b }')"
say "flush: $flush_reply"
sync
total_spans=$(( $(field spans "$json_result") + $(field spans "$proto_result") ))
spans_bytes="$(du -sb "$data/spans" 2>/dev/null | cut -f1)"
spans_bytes="${spans_bytes:-0}"
data_bytes="$(du -sb "$data" | cut -f1)"
wal_bytes="$(du -sb "$data/spans/wal" 2>/dev/null | cut -f1)"
wal_bytes="${wal_bytes:-0}"

say "queries ($QUERIES per kind, $DEP_QUERIES for dependencies)"
query_out="$("$tracegen" query --url "$url" --sidecar "$json_file.sidecar.json" --sidecar "$proto_file.sidecar.json" \
  --requests "$QUERIES" --dependency-requests "$DEP_QUERIES")" || die "query run failed"

stop_daemon
trap - EXIT

per_span() { awk -v b="$1" -v n="$total_spans" 'BEGIN { if (n > 0) printf "%.1f", b / n; else print "n/a" }'; }
row() {  # label RESULT-line
  printf '%-16s %12s %10s %8s %10s %10s %12s %12s\n' "$1" "$(field spans "$2")" "$(field spans_per_s "$2")" \
    "$(field errors "$2")" "$(field p50_ms "$2")" "$(field p99_ms "$2")" "$(field client_cpu_s "$2")" "$(field server_cpu_s "$2")"
}
echo
echo "== Pharos trace benchmark: $SPANS spans per format, $CLIENTS clients, $BATCH spans/request, $SERVICES-node topology =="
printf '%-16s %12s %10s %8s %10s %10s %12s %12s\n' ingest spans spans/s errors "p50 ms" "p99 ms" "client CPU s" "server CPU s"
row "JSON v2" "$json_result"
row "proto3" "$proto_result"
echo
printf '%-34s %s\n' "daemon peak RSS (VmHWM)" "$(awk -v k="$rss_peak_kb" 'BEGIN { printf "%.1f MiB", k / 1024 }')"
printf '%-34s %s\n' "daemon RSS after ingest (VmRSS)" "$(awk -v k="$rss_now_kb" 'BEGIN { printf "%.1f MiB", k / 1024 }')"
printf '%-34s %s s\n' "flush" "$flush_seconds"
printf '%-34s %s B (%s B/span, %s B/span without WAL)\n' "spans/ on disk after flush" "$spans_bytes" \
  "$(per_span "$spans_bytes")" "$(per_span $((spans_bytes - wal_bytes)))"
printf '%-34s %s B (%s B/span)\n' "whole data dir" "$data_bytes" "$(per_span "$data_bytes")"
echo
grep -v '^RESULT' <<<"$query_out"
