#!/usr/bin/env bash
# `make bench`: Pharos and VictoriaMetrics, one after the other in the same run, on the node dataset.
# REPEATS (default 3) and PEERS (default vm,pharos) pass through to bench-peers.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PEERS="${PEERS:-vm,pharos}" REPEATS="${REPEATS:-3}" exec "$here/bench-peers.sh"
