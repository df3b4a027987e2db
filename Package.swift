// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "sluice",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sluice", targets: ["sluice"]),
        .library(name: "SluiceCore", targets: ["SluiceCore"]),
        .library(name: "SluiceAPI", targets: ["SluiceAPI"]),
        .library(name: "SluiceMasking", targets: ["SluiceMasking"]),
        .library(name: "SluiceCrypto", targets: ["SluiceCrypto"]),
        .library(name: "SluiceAudit", targets: ["SluiceAudit"]),
        .library(name: "SluiceStore", targets: ["SluiceStore"]),
        .library(name: "SluiceGateway", targets: ["SluiceGateway"]),
        .library(name: "SluiceClient", targets: ["SluiceClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .target(
            name: "SluiceCore",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SluiceAPI",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SluiceMasking",
            dependencies: ["SluiceCore"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SluiceAudit",
            dependencies: ["SluiceCore", "SluiceCrypto", "CLibCrypto", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CSQLiteGuard",
            linkerSettings: [.linkedLibrary("sqlite3")]
        ),
        .target(
            name: "SluiceStore",
            dependencies: [
                "SluiceCore", "SluiceMasking", "SluiceAudit", "SluiceCrypto", "CSQLiteGuard",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SluiceGateway",
            dependencies: [
                "SluiceCore", "SluiceAPI", "SluiceMasking", "SluiceCrypto", "SluiceAudit", "SluiceStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SluiceClient",
            dependencies: [
                "SluiceCore", "SluiceAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SluiceSampleData",
            dependencies: ["SluiceCore", "SluiceMasking"],
            swiftSettings: swiftSettings
        ),
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CLibCrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // SM2, SM3 and SM4 for the GM profile, over the system's OpenSSL 3 libcrypto.
        .target(
            name: "CGMCrypto",
            linkerSettings: [.linkedLibrary("crypto")]
        ),
        .target(
            name: "SluiceCrypto",
            dependencies: [
                "SluiceCore",
                "CZlib",
                "CLibCrypto",
                "CGMCrypto",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "sluice",
            dependencies: [
                "SluiceCore", "SluiceAPI",
                "SluiceMasking",
                "SluiceCrypto",
                "SluiceAudit",
                "SluiceStore",
                "SluiceGateway",
                "SluiceClient",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "sluice-bench",
            dependencies: [
                "SluiceCore", "SluiceMasking", "SluiceCrypto", "SluiceSampleData", "SluiceAudit", "SluiceStore", "SluiceClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluiceCoreTests",
            dependencies: ["SluiceCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluiceMaskingTests",
            dependencies: ["SluiceMasking", "SluiceCrypto", "SluiceSampleData", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluiceAuditTests",
            dependencies: [
                "SluiceAudit", "SluiceCrypto", .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // Read from the source tree by path (#filePath), not bundled.
            exclude: ["Vectors"],
            swiftSettings: swiftSettings
        ),
        // A PostgreSQL server of the tests' own, for the store's and the gateway's tests.
        .target(
            name: "SluiceTestSupport",
            path: "Tests/SluiceTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluiceStoreTests",
            dependencies: [
                "SluiceStore", "SluiceTestSupport", "SluiceAudit", "SluiceCore", "SluiceCrypto", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "X509", package: "swift-certificates"), .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluiceGatewayTests",
            dependencies: [
                "SluiceGateway", "SluiceTestSupport", "SluiceAPI", "SluiceStore", "SluiceAudit", "SluiceCrypto",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluiceClientTests",
            dependencies: ["SluiceClient"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SluiceCryptoTests",
            dependencies: ["SluiceCrypto", .product(name: "X509", package: "swift-certificates")],
            // The GM peer (Python, GmSSL and gmalg) is run by path, not bundled.
            exclude: ["Helpers"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "sluiceTests",
            dependencies: ["sluice", "SluiceCrypto", "SluiceAudit", "SluiceClient", .product(name: "Crypto", package: "swift-crypto")],
            // Run as a program by the tests, from the source tree.
            exclude: ["Helpers"],
            swiftSettings: swiftSettings
        ),
    ]
)
