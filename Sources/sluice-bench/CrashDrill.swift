import ArgumentParser
import Foundation
import SluiceAudit
import SluiceClient
import SluiceCore
import SluiceCrypto
import SluiceSampleData
import SluiceStore
import Synchronization

/// SIGKILL at random moments while providers submit and the consumer fetches and
/// acknowledges, many times over, restarting the gateway each time without repair. Then,
/// on a gateway started once more: every receipt verifies, its package is stored and
/// opens with the records sent, its entry is in the trail at the index it names; every
/// Idempotency-Key sent answers as one stored whole or never stored (never a conflict or
/// an error: no half-written package or key); `audit verify` passes. Exit 1 on any miss.
///
/// With `--gateways N --postgres URL`, N gateways share one PostgreSQL store, the clients
/// spread over them; each round kills one of them (in turn) while the others go on, and
/// restarts it. Then every receipted package must also be fetchable through every gateway,
/// and no request to a gateway that was not killed may have failed.
struct CrashDrill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crash", abstract: "Kill the gateway under load, restart it, and prove nothing acknowledged was lost.")

    @Option(help: "The sluice executable to run the gateway with (default: beside this one).")
    var sluice: String?
    @Option(help: "Kills (each followed by a restart).") var kills = 8
    @Option(help: "Concurrent submitting clients.") var clients = 6
    @Option(help: "Shortest and longest time under load before a kill, in seconds.") var between = "0.3,2.0"
    @Option(help: "Seed for the kill moments and package sizes (default: random; printed).") var seed: UInt64?
    @Option(help: "Gateways sharing the store (more than one needs --postgres).") var gateways = 1
    @Option(help: "An empty PostgreSQL database for the gateways' store: postgres://user:password@host:port/database?sslmode=….")
    var postgres: String?

    func run() async throws {
        let executable = sluice ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sluice").path
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw ValidationError("no sluice executable at \(executable); build it or pass --sluice")
        }
        let bounds = between.split(separator: ",").compactMap { Double($0) }
        guard bounds.count == 2, bounds[0] > 0, bounds[0] <= bounds[1] else { throw ValidationError("--between takes two seconds, shortest first") }
        guard gateways >= 1, gateways == 1 || postgres != nil else { throw ValidationError("--gateways above 1 needs --postgres") }
        let seed = self.seed ?? UInt64.random(in: 1...UInt64(UInt32.max))
        var random = SeededGenerator(seed: seed)
        let folder = try Self.prepareFolder(executable: executable, postgres: postgres)
        defer { try? FileManager.default.removeItem(atPath: folder.path) }
        let store = postgres == nil ? "SQLite" : "one PostgreSQL database"
        print("crash drill: \(kills) kills, \(clients) clients, \(between) s under load each, \(gateways) gateway(s) on \(store), seed \(seed)")

        let ledger = SubmissionLedger()
        func start(_ gateway: Int, _ round: Int) throws -> LocalGatewayProcess {
            try LocalGatewayProcess(
                executable: executable, folder: folder.path, extraArguments: ["--log-level", "error"],
                logFile: folder.path + "/serve-g\(gateway)-\(round).log")
        }
        var servers = try (0..<gateways).map { try start($0, 0) }
        var survivorFailures = 0
        for round in 1...kills {
            let victim = (round - 1) % gateways
            let loads = try servers.enumerated().map { gateway, server in
                try Load(url: server.url, folder: folder, ledger: ledger, round: round, gateway: gateway)
            }
            let delay = Double.random(in: bounds[0]...bounds[1], using: &random)
            let sizes = (0..<max(clients, gateways)).map { _ in Int.random(in: 1...400, using: &random) }
            let running = Task {
                await withTaskGroup(of: Void.self) { group in
                    for (gateway, load) in loads.enumerated() {
                        let mine = sizes.enumerated().filter { $0.offset % loads.count == gateway }.map(\.element)
                        group.addTask { await load.run(clients: mine) }
                    }
                }
            }
            try await Task.sleep(for: .seconds(delay))
            kill(servers[victim].processIdentifier, SIGKILL)
            _ = servers[victim].stop()
            // The others are still serving: their requests so far must all have succeeded.
            let failed = loads.enumerated().filter { $0.offset != victim }.reduce(0) { $0 + $1.element.failures }
            survivorFailures += failed
            running.cancel()
            await running.value
            for load in loads { await load.shutdown() }
            servers[victim] = try start(victim, round)
            let counts = ledger.counts
            print(
                String(
                    format: "kill %2d (gateway %d) after %.2f s: %d receipts so far, %d keys unanswered, %d fetched, %d acknowledged%@", round,
                    victim, delay, counts.receipts, counts.unanswered, counts.fetched, counts.acknowledged,
                    gateways > 1 ? ", \(failed) failures on the others" : ""))
        }

        var check = try await Check(url: servers[0].url, folder: folder, ledger: ledger).run()
        if gateways > 1 {
            let everywhere = try await Check.fetchable(check.receipts.map(\.packageID), through: servers.dropFirst().map(\.url), folder: folder)
            check.problems += everywhere.problems
            check.summary += "; fetched again through each of the other \(gateways - 1) gateways: \(everywhere.fetched)"
            check.summary += "; requests failed on gateways not being killed: \(survivorFailures)"
            if survivorFailures > 0 { check.problems.append("\(survivorFailures) requests failed on gateways that were not killed") }
        }
        for server in servers { server.stop() }
        check.problems += try Self.trailHolds(check.receipts, folder: folder, postgres: postgres)
        let verify = try LocalGatewayProcess.run(executable, ["audit", "verify"], in: folder.path)
        let verified = verify.status == 0
        print(check.summary)
        print("audit verify: " + (verified ? "passed" : "FAILED") + " — " + verify.output.split(separator: "\n").prefix(2).joined(separator: "; "))
        guard check.problems.isEmpty, verified else {
            for problem in check.problems.prefix(20) { print("  " + problem) }
            throw ExitCode(1)
        }
    }

    /// A development gateway in a temporary folder, with the agreement's rate and the
    /// uploads per agency raised so that load, not a limit, meets the kill.
    static func prepareFolder(executable: String, postgres: String? = nil) throws -> URL {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory() + "sluice-crash-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "Agreements", toPath: folder.path + "/Agreements")
        let agreement = folder.path + "/Agreements/psb-household-check.yaml"
        let text = try String(contentsOfFile: agreement, encoding: .utf8)
        try text.replacingOccurrences(of: "rate_per_minute: 120", with: "rate_per_minute: 10000000")
            .write(toFile: agreement, atomically: true, encoding: .utf8)
        var settings = "connections: { uploads_per_agency: 1024 }\ncheckpoint: { every_entries: 50, interval_seconds: 1 }\n"
        if let postgres { settings += "store: { postgres: \"\(postgres)\" }\n" }
        try settings.write(toFile: folder.path + "/sluice.yaml", atomically: true, encoding: .utf8)
        let initialised = try LocalGatewayProcess.run(executable, ["init"], in: folder.path)
        guard initialised.status == 0 else { throw ValidationError("sluice init failed: \(initialised.output)") }
        return folder
    }

    /// Each receipt's entry is in the trail where the receipt says, recording its package,
    /// and the trail still has the tree the receipt's checkpoint signed (the same root at
    /// that size), so no receipted entry was lost or rewritten by a restart.
    static func trailHolds(_ receipts: [Check.VerifiedReceipt], folder: URL, postgres: String?) throws -> [String] {
        let location = try postgres.map { StoreLocation.postgres(try PostgresLocation(url: $0)) } ?? .dataDirectory(folder.path + "/.sluice")
        let database = try location.open()
        return try database.read { store in
            var problems: [String] = []
            var roots: [UInt64: MerkleHash] = [:]
            for receipt in receipts {
                guard let entry = try store.audit.entry(at: UInt64(receipt.index)),
                    entry.json.contains(#""action":"submit.accepted""#), entry.json.contains(#""package_id":"\#(receipt.packageID)""#)
                else {
                    problems.append("\(receipt.key): entry \(receipt.index) is not the acceptance of \(receipt.packageID)")
                    continue
                }
                let size = receipt.checkpoint.size
                let root = try roots[size] ?? store.audit.tree(size: size).root()
                roots[size] = root
                if root != receipt.checkpoint.root { problems.append("\(receipt.key): the trail no longer has the tree of its receipt's checkpoint") }
            }
            return problems
        }
    }

    static func identity(_ folder: URL, _ agency: String) -> GatewayClient.Identity {
        .init(
            certificate: folder.path + "/Certs/agencies/\(agency).pem", key: folder.path + "/.sluice/keys/agencies/\(agency).key.pem",
            trust: folder.path + "/Certs/dev-ca.pem")
    }

    /// Records whose case numbers say which key sent them, so that a package opened
    /// later can be matched to its submission.
    static func body(key: String, records: Int) -> Data {
        var text = ""
        for number in 0..<records {
            text += #"{"case_no":"\#(key)-\#(number)","name":"欧阳娜娜","id_number":"11010519491231002X","phone":"13812345678"}"# + "\n"
        }
        return Data(text.utf8)
    }
}

/// Every submission the drill made, by Idempotency-Key: its record count, and its receipt
/// when one came back; what the consumer fetched and acknowledged.
final class SubmissionLedger: Sendable {
    struct Sent: Sendable {
        var records: Int
        var packageID: String?
        var receipt: String?
    }

    private let state = Mutex<(sent: [String: Sent], fetched: Set<String>, acknowledged: Set<String>)>(([:], [], []))

    func sending(key: String, records: Int) { state.withLock { $0.sent[key] = Sent(records: records) } }
    func receipted(key: String, packageID: String, receipt: String) {
        state.withLock {
            $0.sent[key]?.packageID = packageID
            $0.sent[key]?.receipt = receipt
        }
    }
    func fetched(_ packageID: String) { _ = state.withLock { $0.fetched.insert(packageID) } }
    func acknowledged(_ packageID: String) { _ = state.withLock { $0.acknowledged.insert(packageID) } }

    var sent: [String: Sent] { state.withLock { $0.sent } }
    var acknowledgedPackages: Set<String> { state.withLock { $0.acknowledged } }
    var counts: (receipts: Int, unanswered: Int, fetched: Int, acknowledged: Int) {
        state.withLock { state in
            let receipts = state.sent.values.filter { $0.receipt != nil }.count
            return (receipts, state.sent.count - receipts, state.fetched.count, state.acknowledged.count)
        }
    }
}

/// One round's load: providers submitting with fresh keys, the consumer listing, fetching
/// and acknowledging, until cancelled (or the gateway dies under them).
struct Load: Sendable {
    let provider: GatewayClient
    let consumer: GatewayClient
    let ledger: SubmissionLedger
    let round: Int
    let gateway: Int
    private let failed = Counter()

    final class Counter: Sendable {
        let value = Mutex(0)
    }

    init(url: String, folder: URL, ledger: SubmissionLedger, round: Int, gateway: Int = 0) throws {
        provider = try GatewayClient(baseURL: url, identity: CrashDrill.identity(folder, "district-psb"))
        consumer = try GatewayClient(baseURL: url, identity: CrashDrill.identity(folder, "district-procuratorate"))
        self.ledger = ledger
        self.round = round
        self.gateway = gateway
    }

    /// Requests that failed while this load had not been cancelled.
    var failures: Int { failed.value.withLock { $0 } }

    private func failing() {
        if !Task.isCancelled { failed.value.withLock { $0 += 1 } }
    }

    func run(clients sizes: [Int]) async {
        await withTaskGroup(of: Void.self) { group in
            for (client, records) in sizes.enumerated() {
                group.addTask { await submit(client: client, records: records) }
            }
            group.addTask { await consume() }
        }
    }

    private func submit(client: Int, records: Int) async {
        var attempt = 0
        while !Task.isCancelled {
            attempt += 1
            let key = "r\(round)-g\(gateway)-c\(client)-\(attempt)"
            ledger.sending(key: key, records: records)
            guard
                let answer = try? await provider.submit(
                    agreement: "psb-household-check", body: CrashDrill.body(key: key, records: records), format: .ndjson, idempotencyKey: key)
            else { return failing() }
            ledger.receipted(key: key, packageID: answer.packageID, receipt: answer.receipt)
        }
    }

    private func consume() async {
        while !Task.isCancelled {
            guard let page = try? await consumer.inbox(limit: 20) else { return failing() }
            for package in page.packages {
                guard (try? await consumer.fetch(packageID: package.packageID)) != nil else { return failing() }
                ledger.fetched(package.packageID)
                guard (try? await consumer.acknowledge(packageID: package.packageID)) != nil else { return failing() }
                ledger.acknowledged(package.packageID)
            }
            if page.packages.isEmpty { try? await Task.sleep(for: .milliseconds(50)) }
        }
    }

    func shutdown() async {
        await provider.shutdown()
        await consumer.shutdown()
    }
}

/// The checks after the last restart.
struct Check {
    let url: String
    let folder: URL
    let ledger: SubmissionLedger

    struct VerifiedReceipt {
        var key: String
        var packageID: String
        var index: Int
        var checkpoint: Checkpoint
    }

    struct Outcome {
        var summary: String
        var problems: [String]
        var receipts: [VerifiedReceipt]
    }

    /// Every package in `ids` fetched through each gateway at `urls`, as the consumer.
    static func fetchable(_ ids: [String], through urls: [String], folder: URL) async throws -> (fetched: Int, problems: [String]) {
        var fetched = 0
        var problems: [String] = []
        for url in urls {
            let consumer = try GatewayClient(baseURL: url, identity: CrashDrill.identity(folder, "district-procuratorate"))
            for id in ids {
                do {
                    _ = try await consumer.fetch(packageID: id)
                    fetched += 1
                } catch {
                    problems.append("package \(id) cannot be fetched through \(url): \(error)")
                }
            }
            await consumer.shutdown()
        }
        return (fetched, problems)
    }

    func run() async throws -> Outcome {
        let provider = try GatewayClient(baseURL: url, identity: CrashDrill.identity(folder, "district-psb"))
        let consumer = try GatewayClient(baseURL: url, identity: CrashDrill.identity(folder, "district-procuratorate"))
        defer {
            Task {
                await provider.shutdown()
                await consumer.shutdown()
            }
        }
        let anchors = try CertificateFile.read(folder.path + "/Certs/dev-ca.pem")
        let signers = SignerCheck(trustAnchors: anchors, signers: try CertificateFile.read(folder.path + "/Certs/gateway-signing.pem"))
        let receipts = ReceiptVerifier(
            signers: signers, checkpointKeys: try CheckpointKeyFile.readVerifiers(at: folder.path + "/Certs/audit-checkpoint.vkey"))
        let opener = EnvelopeOpener(
            key: try DecryptionKey(file: PrivateKeyFile(path: folder.path + "/.sluice/keys/agencies/district-procuratorate.key.pem")),
            trustAnchors: anchors, signers: signers.signers)

        var problems: [String] = []
        var verifiedReceipts: [VerifiedReceipt] = []
        var opened = 0
        var storedWithoutReceipt = 0
        var neverStored = 0
        for (key, sent) in ledger.sent.sorted(by: { $0.key < $1.key }) {
            // The same key and body again: one stored whole answers 200 with its package,
            // one never stored is stored now (201); anything else is a half-written key.
            let again: GatewayClient.Submission
            do {
                again = try await provider.submit(
                    agreement: "psb-household-check", body: CrashDrill.body(key: key, records: sent.records), format: .ndjson, idempotencyKey: key)
            } catch {
                problems.append("\(key): resubmitting failed: \(error)")
                continue
            }
            if let receipt = sent.receipt, let packageID = sent.packageID {
                guard again.status == 200, again.packageID == packageID else {
                    problems.append("\(key): receipted as \(packageID) but the gateway now answers \(again.status) \(again.packageID)")
                    continue
                }
                do {
                    let verified = try await receipts.verify(receipt)
                    guard verified.receipt.packageID == packageID, let index = verified.receipt.auditEntryIndex else {
                        problems.append("\(key): the receipt names another package")
                        continue
                    }
                    verifiedReceipts.append(VerifiedReceipt(key: key, packageID: packageID, index: index, checkpoint: verified.checkpoint))
                } catch {
                    problems.append("\(key): the receipt does not verify: \(error)")
                }
                do {
                    let payload = try PackagePayload(decoding: Array(try await opener.open(try await consumer.fetch(packageID: packageID)).payload))
                    let cases = Set(
                        payload.records.compactMap { record -> String? in
                            if case .string(let text) = record["case_no"] { return text } else { return nil }
                        })
                    if payload.records.count != sent.records || cases != Set((0..<sent.records).map { "\(key)-\($0)" }) {
                        problems.append("\(key): package \(packageID) opens with other records")
                    } else {
                        opened += 1
                    }
                } catch {
                    problems.append("\(key): package \(packageID) cannot be fetched and opened: \(error)")
                }
            } else if again.status == 200 {
                storedWithoutReceipt += 1
            } else {
                neverStored += 1
            }
        }
        let counts = ledger.counts
        let summary = """
            keys sent \(ledger.sent.count); receipts \(counts.receipts), of which fetched again and opened with their records \(opened); \
            unanswered at a kill \(counts.unanswered): stored whole \(storedWithoutReceipt), never stored \(neverStored); \
            acknowledged during the drill \(counts.acknowledged); problems \(problems.count)
            """
        return Outcome(summary: summary, problems: problems, receipts: verifiedReceipts)
    }
}
