// swift-tools-version:6.1
// libFuzzer targets for Sluice's parsers, built with `-sanitize=fuzzer,address`; see
// README.md in this folder. A package of its own so that the main build never carries
// the fuzzer's instrumentation.
import PackageDescription

let fuzzSettings: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "sluice-fuzzing",
    dependencies: [
        .package(name: "sluice", path: ".."),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
    ],
    targets: [
        .target(name: "CFuzzerDriver"),
        .executableTarget(
            name: "FuzzRecords",
            dependencies: ["CFuzzerDriver", .product(name: "SluiceCore", package: "sluice"), .product(name: "SluiceMasking", package: "sluice")],
            swiftSettings: fuzzSettings),
        .executableTarget(
            name: "FuzzAgreement", dependencies: ["CFuzzerDriver", .product(name: "SluiceCore", package: "sluice")], swiftSettings: fuzzSettings),
        .executableTarget(
            name: "FuzzNotes",
            dependencies: ["CFuzzerDriver", .product(name: "SluiceAudit", package: "sluice"), .product(name: "SluiceCrypto", package: "sluice")],
            swiftSettings: fuzzSettings),
        .executableTarget(
            name: "FuzzEnvelope",
            dependencies: ["CFuzzerDriver", .product(name: "SluiceCrypto", package: "sluice"), .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: fuzzSettings),
        .executableTarget(
            name: "FuzzText",
            dependencies: ["CFuzzerDriver", .product(name: "SluiceCore", package: "sluice"), .product(name: "SluiceMasking", package: "sluice")],
            swiftSettings: fuzzSettings),
    ]
)
