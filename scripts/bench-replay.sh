#!/usr/bin/env bash
# WAL replay of the whole node dataset: load it with nothing sealed (a 2-day out-of-order window keeps the
# day in the head), kill -9 the daemon, then time `pharos bench replay` on the data directory.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
BENCH_DIR="${PHAROS_BENCH_DIR:-/tmp/pharos-bench}"
DATA="$BENCH_DIR/data/node-h50-d86400"
DIR="$BENCH_DIR/replay-data"
BIN="$repo/.build/release/pharos"
[[ -x "$BIN" ]] || { echo "build first: swift build -c release" >&2; exit 1; }
[[ -f "$DATA/manifest.json" ]] || "$here/bench-setup.sh"
rm -rf "$DIR" "$DIR.ready"
"$BIN" serve --host 127.0.0.1 --http-port 0 --opentsdb-port 0 --data-dir "$DIR" --out-of-order-window 2d \
  --ready-file "$DIR.ready" --log-level warning &
pid=$!
for _ in $(seq 100); do [[ -f "$DIR.ready" ]] && break; sleep 0.1; done
port=$(sed -n 's/.*opentsdb=\([0-9]*\).*/\1/p' "$DIR.ready")
python3 - "$port" "$DATA" <<'PY'
import socket, sys, threading, time
port, data = int(sys.argv[1]), sys.argv[2]
def send(k):
    s = socket.create_connection(("127.0.0.1", port))
    with open(f"{data}/telnet.{k}.txt", "rb") as f:
        while chunk := f.read(1 << 20):
            s.sendall(chunk)
    s.sendall(b"version\n")
    got = b""
    while got.count(b"\n") < 2:
        got += s.recv(4096)
t = time.time()
threads = [threading.Thread(target=send, args=(k,)) for k in range(4)]
[x.start() for x in threads]; [x.join() for x in threads]
print(f"loaded in {time.time() - t:.2f} s", file=sys.stderr)
PY
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
du -sh "$DIR/wal"
"$BIN" bench replay --data-dir "$DIR"
