// swift-tools-version:6.1
import PackageDescription

/// Every target opts into the same upcoming features so no dependency leaks into a public API by accident.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    // Release builds skip the run-time exclusivity checks (debug builds and tests keep them): on the ingest
    // path they cost ~2 % of server CPU (swift_beginAccess in perf profiles of /api/put).
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "Pharos",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pharos", targets: ["pharos"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", exact: "1.5.0"),
        // Runtime of the protoc-generated Zipkin messages (Sources/ZipkinProto). The daemon decodes proto3 with
        // its own byte-level reader; the generated code is the reference it is tested and benchmarked against,
        // and the encoder the trace generator uses.
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
    ],
    targets: [
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .target(name: "PharosCore", swiftSettings: strictSettings),
        .target(name: "PharosCodec", dependencies: ["PharosCore", "CLZ4"], swiftSettings: strictSettings),
        .target(
            name: "PharosStorage",
            dependencies: [
                "PharosCore", "PharosCodec",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(name: "PharosIngest", dependencies: ["PharosCore"], swiftSettings: strictSettings),
        .target(name: "PharosQuery", dependencies: ["PharosCore", "PharosStorage"], swiftSettings: strictSettings),
        .target(
            name: "PharosServer",
            dependencies: [
                "PharosCore", "PharosStorage", "PharosIngest", "PharosQuery",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "pharos",
            dependencies: [
                "PharosServer", "PharosCore", "PharosStorage", "PharosIngest", "PharosQuery",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Generated once with protoc from ../shared/specs/zipkin.proto (see Sources/ZipkinProto/README.md).
        .target(
            name: "ZipkinProto", dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")], exclude: ["README.md"]),
        // The trace benchmark: realistic call trees, HTTP load and query latency (Benchmarks/README.md).
        .executableTarget(
            name: "tracegen",
            dependencies: [
                "PharosCore", "PharosIngest", "ZipkinProto",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/TraceGen",
            swiftSettings: strictSettings
        ),
        .testTarget(name: "PharosCodecTests", dependencies: ["PharosCodec", "PharosCore"], swiftSettings: strictSettings),
        .testTarget(name: "PharosQueryTests", dependencies: ["PharosQuery", "PharosStorage", "PharosCore"], swiftSettings: strictSettings),
        .testTarget(name: "PharosIngestTests", dependencies: ["PharosIngest", "PharosCore"], swiftSettings: strictSettings),
        .testTarget(
            name: "PharosStorageTests", dependencies: ["PharosStorage", "PharosCodec", "PharosCore"], swiftSettings: strictSettings),
        .testTarget(name: "PharosTracingTests", dependencies: ["PharosCore"], swiftSettings: strictSettings),
        .testTarget(
            name: "ZipkinProtoTests", dependencies: ["ZipkinProto", "PharosIngest", "PharosCore"], swiftSettings: strictSettings),
        .testTarget(
            name: "PharosServerTests", dependencies: ["PharosServer", "PharosCore"], swiftSettings: strictSettings),
    ]
)
