#!/usr/bin/env bash
# Prepare the side-by-side metrics benchmark (shared/bench/README.md) on a Debian 12 machine.
#
#   scripts/bench-setup.sh            # idempotent: each step is skipped when its result is there
#
# Steps
#   1. python modules for the harness (numpy, cramjam), pip-installed only if not importable
#   2. VictoriaMetrics, built from Debian's Go source packages into $PHAROS_BENCH_DIR/victoria-metrics
#      (the Go packages are apt-installed only when the binary has to be built)
#   3. when PEERS names them: Debian's influxdb and/or prometheus (their system services are not started)
#   4. the node dataset (50 hosts, 1 day, 8,640,000 points) in $PHAROS_BENCH_DIR/data/node-h50-d86400,
#      generated only if its manifest.json lacks one of the formats in BENCH_FORMATS
#
# Environment
#   PHAROS_BENCH_DIR  base dir (default /tmp/pharos-bench)
#   SHARED_BENCH      the harness dir (default <repo>/../shared/bench)
#   BENCH_FORMATS     dataset formats (default telnet,json; remotewrite too when PEERS has prometheus)
#   PEERS             comma list of vm,influxdb,prometheus, or all (default vm; vm is always set up)
#   PYTHON            interpreter for the harness (default python3)
# Quiet: one line per step; a failing step prints the tail of $PHAROS_BENCH_DIR/setup.log.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(git -C "$here" rev-parse --show-toplevel 2>/dev/null || (cd "$here/.." && pwd))"
SHARED_BENCH="${SHARED_BENCH:-$repo/../shared/bench}"
PHAROS_BENCH_DIR="${PHAROS_BENCH_DIR:-/tmp/pharos-bench}"
PEERS="${PEERS:-vm}"
[[ "$PEERS" == all ]] && PEERS=vm,influxdb,prometheus
PYTHON="${PYTHON:-python3}"
has_peer() { [[ ",$PEERS," == *",$1,"* ]]; }
if has_peer prometheus; then
  BENCH_FORMATS="${BENCH_FORMATS:-telnet,json,remotewrite}"
else
  BENCH_FORMATS="${BENCH_FORMATS:-telnet,json}"
fi
DATA="$PHAROS_BENCH_DIR/data/node-h50-d86400"
VM_BIN="$PHAROS_BENCH_DIR/victoria-metrics"
LOG="$PHAROS_BENCH_DIR/setup.log"

GO_PKGS=(golang-go golang-github-victoriametrics-victoriametrics-dev
  golang-github-victoriametrics-fastcache-dev golang-github-victoriametrics-metrics-dev
  golang-github-victoriametrics-metricsql-dev golang-github-valyala-fastjson-dev
  golang-github-valyala-quicktemplate-dev golang-github-valyala-histogram-dev
  golang-github-valyala-gozstd-dev golang-github-valyala-fastrand-dev golang-github-valyala-bytebufferpool-dev)

say() { printf 'bench-setup: %s\n' "$*"; }
die() { printf 'bench-setup: error: %s\n' "$*" >&2; exit 1; }

# run CMD... quietly into $LOG; on failure show what it printed and stop
run() {
  printf '\n$ %s\n' "$*" >>"$LOG"
  if ! "$@" >>"$LOG" 2>&1; then
    printf 'bench-setup: FAILED: %s\n--- last lines of %s ---\n' "$*" "$LOG" >&2
    tail -n 40 "$LOG" >&2
    exit 1
  fi
}

secs() { echo $(( SECONDS - $1 ))s; }

[[ -f "$SHARED_BENCH/run_peer.py" && -f "$SHARED_BENCH/gen_points.py" ]] \
  || die "harness not found in $SHARED_BENCH (set SHARED_BENCH)"
[[ "$PEERS" =~ ^(vm|influxdb|prometheus)(,(vm|influxdb|prometheus))*$ ]] \
  || die "PEERS must be all or a comma list of vm,influxdb,prometheus, not '$PEERS'"
command -v "$PYTHON" >/dev/null || die "$PYTHON not found"
mkdir -p "$PHAROS_BENCH_DIR"
: >"$LOG"

# Debian packages (name...) that are not installed yet
missing_debs() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || printf '%s\n' "$p"
  done
}

apt_updated=0
apt_install() {  # pkg...: install the ones missing, apt-get update once before
  local want
  mapfile -t want < <(missing_debs "$@")
  ((${#want[@]})) || return 0
  [[ $EUID -eq 0 ]] || die "need root to apt-get install ${want[*]}"
  if ((!apt_updated)); then
    run apt-get update -q
    apt_updated=1
  fi
  # policy-rc.d (if any) keeps service postinsts from starting daemons; the harness runs its own
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${want[@]}"
}

# 1. python modules -----------------------------------------------------------------------------
t=$SECONDS
need_py=()
for m in numpy cramjam; do
  "$PYTHON" -c "import $m" 2>/dev/null || need_py+=("$m")
done
if ((${#need_py[@]})); then
  run "$PYTHON" -m pip install -q --disable-pip-version-check "${need_py[@]}"
  "$PYTHON" -c 'import numpy, cramjam' 2>>"$LOG" || die "numpy/cramjam still not importable by $PYTHON"
  say "python: installed ${need_py[*]} ($(secs $t))"
else
  say "python: numpy, cramjam present"
fi

# 2. VictoriaMetrics ------------------------------------------------------------------------------
if [[ -x "$VM_BIN" ]] && "$VM_BIN" -version >/dev/null 2>&1; then
  say "victoria-metrics: $VM_BIN present"
else
  t=$SECONDS
  apt_install "${GO_PKGS[@]}"
  say "victoria-metrics: Go packages ready ($(secs $t)); building"
  t=$SECONDS
  tmp="$VM_BIN.tmp.$$"
  trap 'rm -f "$tmp"' EXIT
  # GOPATH mode against Debian's source packages; own build cache, so no $HOME is needed
  run env -C "$PHAROS_BENCH_DIR" GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= \
    GOCACHE="$PHAROS_BENCH_DIR/go-cache" \
    go build -o "$tmp" github.com/VictoriaMetrics/VictoriaMetrics/app/victoria-metrics
  mv -f "$tmp" "$VM_BIN"
  trap - EXIT
  say "victoria-metrics: built $VM_BIN ($(secs $t))"
fi

# 3. optional peers ---------------------------------------------------------------------------------
peer_pkgs=() peer_bins=()
has_peer influxdb && peer_pkgs+=(influxdb) peer_bins+=(influxd)
has_peer prometheus && peer_pkgs+=(prometheus) peer_bins+=(prometheus promtool)
if ((${#peer_pkgs[@]})); then
  t=$SECONDS
  apt_install "${peer_pkgs[@]}"
  for b in "${peer_bins[@]}"; do
    command -v "$b" >/dev/null || die "$b not on PATH after installing ${peer_pkgs[*]}"
  done
  say "${peer_pkgs[*]}: ready ($(secs $t))"
fi

# 4. dataset ----------------------------------------------------------------------------------------
# formats asked for that the manifest does not list yet (gen_points.py merges into an existing manifest)
todo="$("$PYTHON" - "$DATA/manifest.json" "$BENCH_FORMATS" <<'PY'
import json, os, sys
path, want = sys.argv[1], [f for f in sys.argv[2].split(",") if f]
have = json.load(open(path)).get("files", {}) if os.path.exists(path) else {}
print(",".join(f for f in want if f not in have))
PY
)"
if [[ -z "$todo" ]]; then
  say "dataset: $DATA present ($BENCH_FORMATS)"
else
  t=$SECONDS
  say "dataset: generating $todo into $DATA"
  run "$PYTHON" "$SHARED_BENCH/gen_points.py" --variant node --hosts 50 --duration 86400 \
    --formats "$todo" --out "$DATA"
  say "dataset: done ($(secs $t))"
fi
