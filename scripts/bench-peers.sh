#!/usr/bin/env bash
# Run the peer side of the side-by-side benchmark (shared/bench/run_peer.py) on the node dataset.
#
#   scripts/bench-peers.sh                 # VictoriaMetrics, telnet + /api/put, 1 repeat
#   REPEATS=3 PEERS=all scripts/bench-peers.sh
#
# Runs scripts/bench-setup.sh first (idempotent, about a second when all is in place; SKIP_SETUP=1
# skips it), then run_peer.py for each peer, then prints report.py's table.
# Results: $PHAROS_BENCH_DIR/results/{vm,influxdb,prometheus}.json. run_peer.py appends to an
# existing file and summarises all runs in it, so an earlier file is moved aside to
# NAME.YYYYmmdd-HHMMSS.json first, unless APPEND=1.
#
# Environment
#   PHAROS_BENCH_DIR  base dir (default /tmp/pharos-bench)
#   SHARED_BENCH      the harness dir (default <repo>/../shared/bench)
#   REPEATS           runs per mode (default 1)
#   PEERS             comma list of vm,influxdb,prometheus, or all (default vm); modes: VM and
#                     influxdb 1.6 telnet + /api/put, prometheus 2.42 remote write
#   VM_MODES INFLUX_MODES PROM_MODES   override the modes (defaults telnet,http / telnet,http / rw;
#                     prometheus' promtool mode also needs BENCH_FORMATS=...,openmetrics at setup)
#   RUN_PEER_ARGS     extra run_peer.py arguments, split on spaces (e.g. "--quiet-wait 30")
#   APPEND=1          append to the existing result files
#   PYTHON            interpreter (default python3)
# All servers listen on 127.0.0.1 only (VM 28428/28243, influx 28086/28088/28242, prometheus 29090).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(git -C "$here" rev-parse --show-toplevel 2>/dev/null || (cd "$here/.." && pwd))"
export SHARED_BENCH="${SHARED_BENCH:-$repo/../shared/bench}"
export PHAROS_BENCH_DIR="${PHAROS_BENCH_DIR:-/tmp/pharos-bench}"
export PEERS="${PEERS:-vm}"
export PYTHON="${PYTHON:-python3}"
REPEATS="${REPEATS:-1}"
DATA="$PHAROS_BENCH_DIR/data/node-h50-d86400"
RESULTS="$PHAROS_BENCH_DIR/results"
read -r -a extra <<<"${RUN_PEER_ARGS:-}"

say() { printf 'bench-peers: %s\n' "$*"; }
die() { printf 'bench-peers: error: %s\n' "$*" >&2; exit 1; }

[[ "$REPEATS" =~ ^[1-9][0-9]*$ ]] || die "REPEATS must be a positive integer, not '$REPEATS'"
[[ "$PEERS" == all ]] && PEERS=vm,influxdb,prometheus
[[ "$PEERS" =~ ^(vm|influxdb|prometheus|pharos)(,(vm|influxdb|prometheus|pharos))*$ ]] \
  || die "PEERS must be all or a comma list of vm,influxdb,prometheus,pharos, not '$PEERS'"
IFS=, read -r -a peers <<<"$PEERS"

if [[ "${SKIP_SETUP:-0}" != 1 ]]; then
  "$here/bench-setup.sh"
fi
[[ -f "$DATA/manifest.json" ]] || die "no dataset in $DATA: run scripts/bench-setup.sh"
mkdir -p "$RESULTS"

outs=()
for peer in "${peers[@]}"; do
  case "$peer" in
    vm) args=(--target victoriametrics --vm-binary "$PHAROS_BENCH_DIR/victoria-metrics"
              --modes "${VM_MODES:-telnet,http}") ;;
    influxdb) args=(--target influxdb --modes "${INFLUX_MODES:-telnet,http}") ;;
    prometheus) args=(--target prometheus --modes "${PROM_MODES:-rw}") ;;
    pharos)
      [[ -x "$repo/.build/release/pharos" ]] || die "build Pharos first: swift build -c release"
      args=(--target pharos --url http://127.0.0.1:39411 --telnet-port 34242
            --data-dir "$PHAROS_BENCH_DIR/pharos-data" --wipe
            --start-cmd "$repo/.build/release/pharos serve --host 127.0.0.1 --http-port 39411 --opentsdb-port 34242 --data-dir {data_dir} --log-level warning"
            --flush-cmd "curl -sf -XPOST http://127.0.0.1:39411/api/admin/flush" --count-check
            --modes "${PHAROS_MODES:-telnet,http}") ;;
  esac
  out="$RESULTS/$peer.json"
  if [[ -e "$out" && "${APPEND:-0}" != 1 ]]; then
    mv "$out" "$RESULTS/$peer.$(date -r "$out" +%Y%m%d-%H%M%S).json"
  fi
  say "$peer: ${args[*]:0:2} ${args[*]: -2}, $REPEATS repeat(s) -> $out"
  t=$SECONDS
  # run_peer.py logs progress on stderr; its stdout (the summary JSON) is in $out as well
  "$PYTHON" "$SHARED_BENCH/run_peer.py" "${args[@]}" --data "$DATA" --repeats "$REPEATS" \
    --workdir "$PHAROS_BENCH_DIR/run" --out "$out" "${extra[@]}" >/dev/null \
    || die "run_peer.py failed for $peer (see above; server logs are removed unless RUN_PEER_ARGS=--keep)"
  say "$peer: done in $(( SECONDS - t ))s"
  outs+=("$out")
done

"$PYTHON" "$SHARED_BENCH/report.py" "${outs[@]}"
