#!/usr/bin/env bash
# Regenerates Sources/ZipkinProto/zipkin.pb.swift from Zipkin's zipkin.proto with protoc and the
# protoc-gen-swift plugin of the swift-protobuf version Package.swift pins (1.39.0), so the generated code
# and its runtime always match. Run it from anywhere; it only writes that one file.
#
#   PROTO=path/to/zipkin.proto           default: ../shared/specs/zipkin.proto (beside the repository)
#   PROTOC_GEN_SWIFT=path/to/plugin      default: built into $PLUGIN_DIR from SWIFT_PROTOBUF_GIT if missing
#   SWIFT_PROTOBUF_GIT=url               default: https://github.com/apple/swift-protobuf.git
#   PLUGIN_DIR=dir                       default: /tmp/swift-protobuf (kept outside the repository)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
version="1.39.0"
proto="${PROTO:-$root/../shared/specs/zipkin.proto}"
plugin_dir="${PLUGIN_DIR:-/tmp/swift-protobuf}"
plugin="${PROTOC_GEN_SWIFT:-$plugin_dir/.build/release/protoc-gen-swift}"
out="$root/Sources/ZipkinProto"

command -v protoc >/dev/null || { echo "protoc is missing: apt-get install -y protobuf-compiler" >&2; exit 1; }
[ -f "$proto" ] || { echo "no proto at $proto (set PROTO)" >&2; exit 1; }

if [ ! -x "$plugin" ]; then
    git clone --quiet "${SWIFT_PROTOBUF_GIT:-https://github.com/apple/swift-protobuf.git}" "$plugin_dir"
    git -C "$plugin_dir" checkout --quiet "$version"
    (cd "$plugin_dir" && swift build -c release --product protoc-gen-swift)
fi
plugin_version="$("$plugin" --version)"
[ "$plugin_version" = "protoc-gen-swift $version" ] || { echo "need protoc-gen-swift $version, found: $plugin_version" >&2; exit 1; }

# Public types (the tests and the trace generator live in other modules); file name as the proto's.
protoc --plugin=protoc-gen-swift="$plugin" \
    --proto_path="$(dirname "$proto")" \
    --swift_opt=Visibility=Public \
    --swift_opt=FileNaming=DropPath \
    --swift_out="$out" \
    "$(basename "$proto")"
echo "wrote $out/zipkin.pb.swift ($(protoc --version), $plugin_version)"
