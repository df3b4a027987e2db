import ArgumentParser
import Foundation
import SluiceCore
import SluiceCrypto
import SluiceMasking
import SluiceSampleData

/// Benchmarks that print figures for `BENCHMARKS.md`. Run in release mode on one core:
/// `swift build -c release --product sluice-bench && taskset -c 0 .build/release/sluice-bench mask`.
@main
struct SluiceBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice-bench",
        abstract: "Measure Sluice's throughput and memory.",
        subcommands: [
            MaskBenchmark.self, SealBenchmark.self, AuditBenchmark.self, GatewayBenchmark.self, PackageBenchmark.self, WidthBenchmark.self,
            NamesBenchmark.self, CrashDrill.self, BackupBenchmark.self,
        ]
    )
}

extension AgreementPseudonymizer: Pseudonymizer {}
