// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Dragnet",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "dragnet", targets: ["dragnet"]),
        .library(name: "DragnetCore", targets: ["DragnetCore"]),
        .library(name: "DragnetSynthetic", targets: ["DragnetSynthetic"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // Hummingbird's own lifecycle (already in the graph through it), named for the server's background services.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CDragnetCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CDragnetZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "DragnetCore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Deterministic synthetic lists in the import formats (`dragnet generate`, the bench and tests).
        .target(name: "DragnetSynthetic", dependencies: ["DragnetCore"]),
        .target(
            name: "DragnetSync",
            dependencies: [
                "DragnetCore",
                "CDragnetCurl",
                "DragnetGzip",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "DragnetGzip", dependencies: ["CDragnetZlib"]),
        .target(
            name: "DragnetServer",
            dependencies: [
                "DragnetCore",
                "DragnetGzip",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "dragnet",
            dependencies: [
                "DragnetCore",
                "DragnetSynthetic",
                "DragnetSync",
                "DragnetServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // BulkImportTests imports generated lists.
        .testTarget(
            name: "DragnetCoreTests",
            dependencies: [
                // The generator's tests and the bulk import's use its lists.
                "DragnetCore", "DragnetSynthetic",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(
            name: "DragnetSyncTests",
            dependencies: [
                "DragnetSync", "DragnetServer", "DragnetCore",
                // To copy a live central database the way an operator's backup does (SQLite's online backup).
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(name: "DragnetServerTests", dependencies: ["DragnetServer", "DragnetCore"]),
        .testTarget(
            name: "DragnetEndToEndTests",
            dependencies: [
                // To read what a station pulled with plain SQL, independently of the pull's code.
                "DragnetCore", .product(name: "GRDB", package: "GRDB.swift"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
