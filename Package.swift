// swift-tools-version:6.2
import PackageDescription

/// Our own targets build without a single warning, and keep it so: a warning is an error
/// (SE-0480). Dependencies' warnings are theirs and are not affected.
let ours: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
    name: "yiju",
    platforms: [.macOS(.v15)],  // task executors (SE-0417) for the intake lane
    products: [
        .executable(name: "yiju", targets: ["yiju"]),
        .library(name: "YijuCore", targets: ["YijuCore"]),
        .library(name: "YijuServer", targets: ["YijuServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.115.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.12.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.8.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.10.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.4.0"),
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.10.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.8.0"),
        .package(url: "https://github.com/vapor/swift-openapi-vapor.git", from: "1.0.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.1.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
    ],
    targets: [
        .target(name: "YijuCore", swiftSettings: ours),
        .target(
            name: "YijuServer",
            dependencies: [
                "YijuCore",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIVapor", package: "swift-openapi-vapor"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            resources: [.copy("openapi.yaml")],
            swiftSettings: ours,
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        .executableTarget(
            name: "yiju",
            dependencies: [
                "YijuServer", "YijuCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: ours
        ),
        .executableTarget(name: "ZoningBenchmark", dependencies: ["YijuCore"], path: "Benchmarks/ZoningBenchmark", swiftSettings: ours),
        .testTarget(name: "YijuCoreTests", dependencies: ["YijuCore"], swiftSettings: ours),
        .testTarget(
            name: "YijuServerTests",
            dependencies: [
                "YijuServer",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            swiftSettings: ours
        ),
    ]
)
