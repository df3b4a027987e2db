import ArgumentParser
import Foundation
import SluiceClient
import SluiceCore
import SluiceSampleData

/// Load on a real gateway process over mutual TLS: packages of 100 generated household
/// records submitted by 1, 16 and 64 concurrent clients, each answer a durable commit.
/// Prints packages per second, latency percentiles, CPU per package and the server's
/// resident memory after each level, so that a long run shows whether memory stays flat.
struct GatewayBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway", abstract: "Submissions per second and latency over mutual TLS.")

    @Option(help: "The sluice executable to run the gateway with (default: beside this one).")
    var sluice: String?

    @Option(help: "Concurrent clients, comma-separated.") var clients = "1,16,64"
    @Option(help: "Seconds per concurrency level.") var seconds = 10.0
    @Option(help: "Records per package.") var records = 100
    @Option(help: "Extra clients that submit large packages alongside each level, to see what they do to the others' latency.")
    var largeClients = 0
    @Option(help: "Records per large package.") var largeRecords = 2000
    @Flag(help: "A few seconds' run that only checks the benchmark still works.") var quick = false
    @Option(help: "Gateways sharing the store, the clients spread over them (more than one needs --postgres).") var gateways = 1
    @Option(help: "An empty PostgreSQL database for the store: postgres://user:password@host:port/database?sslmode=….")
    var postgres: String?

    func run() async throws {
        let executable = sluice ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sluice").path
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw ValidationError("no sluice executable at \(executable); build it (swift build -c release) or pass --sluice")
        }
        let folder = NSTemporaryDirectory() + "sluice-bench-gateway-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: "Agreements", toPath: folder + "/Agreements")
        // The benchmark measures the gateway, not the agreement's rate limit nor the cap on
        // one agency's uploads in flight (every client here is the same bureau).
        let agreement = folder + "/Agreements/psb-household-check.yaml"
        let text = try String(contentsOfFile: agreement, encoding: .utf8)
        try text.replacingOccurrences(of: "rate_per_minute: 120", with: "rate_per_minute: 10000000")
            .write(toFile: agreement, atomically: true, encoding: .utf8)
        guard gateways >= 1, gateways == 1 || postgres != nil else { throw ValidationError("--gateways above 1 needs --postgres") }
        var settings = "connections: { uploads_per_agency: 1024 }\n"
        if let postgres { settings += "store: { postgres: \"\(postgres)\" }\n" }
        try settings.write(toFile: folder + "/sluice.yaml", atomically: true, encoding: .utf8)

        let initialised = try LocalGatewayProcess.run(executable, ["init"], in: folder)
        guard initialised.status == 0 else { throw ValidationError("sluice init failed: \(initialised.output)") }
        let servers = try (0..<gateways).map { _ in
            try LocalGatewayProcess(executable: executable, folder: folder, extraArguments: ["--log-level", "warning"])
        }
        let server = servers[0]
        let url = server.url
        if gateways > 1 || postgres != nil { print("\(gateways) gateway(s) on one PostgreSQL database") }

        let body = Self.package(records: records)
        let client = try GatewayClient(
            baseURL: url,
            identity: .init(
                certificate: folder + "/Certs/agencies/district-psb.pem", key: folder + "/.sluice/keys/agencies/district-psb.key.pem",
                trust: folder + "/Certs/dev-ca.pem"))
        print(String(format: "package: %d records, %.1f KiB NDJSON; gateway %@", records, Double(body.count) / 1024, url))
        // When the slowest request started tells a cold start (new connections' handshakes)
        // from a stall in the middle of the run (a write-ahead-log copy-back).
        // CPU time per package tells a slower gateway from a busier machine: the load
        // generator runs on the same cores, and the host's speed varies from run to run.
        print(
            "clients  packages/s  p50 ms  p99 ms  max ms  max at s  (errors)  server cores  server CPU ms/package  load generator cores  server RSS MiB"
        )
        let levels = quick ? [1, 4] : clients.split(separator: ",").compactMap { Int($0) }
        let duration = quick ? 1.5 : seconds
        // The partner client checks that the gateway answers with a receipt; the load itself
        // goes through lean connections, one per simulated client.
        _ = try await client.submit(agreement: "psb-household-check", body: body, format: .ndjson)
        let identity = try LoadConnection.Identity(
            certificate: folder + "/Certs/agencies/district-psb.pem", key: folder + "/.sluice/keys/agencies/district-psb.key.pem",
            trust: folder + "/Certs/dev-ca.pem")
        let addresses = servers.map { URLComponents(string: $0.url)! }
        let address = addresses[0]
        func submission(_ body: Data) -> LoadConnection.Request {
            LoadConnection.Request(
                post: "/v1/agreements/psb-household-check/packages", host: "\(address.host!):\(address.port!)",
                contentType: RecordFormat.ndjson.mediaType, body: body)
        }
        let request = submission(body)
        let largeBody = largeClients > 0 ? Self.package(records: largeRecords) : Data()
        let large = submission(largeBody)
        if largeClients > 0 {
            print(
                String(
                    format: "large packages: %d records, %.1f KiB NDJSON, from %d more clients", largeRecords, Double(largeBody.count) / 1024,
                    largeClients))
        }
        for level in levels {
            // Connected and warmed before the clock starts: handshakes are not what is measured.
            var connections: [LoadConnection] = []
            var largeConnections: [LoadConnection] = []
            for index in 0..<(level + largeClients) {
                // Spread over the gateways, as a load balancer in front of them would.
                let target = addresses[index % addresses.count]
                let connection = try await LoadConnection.connect(host: target.host!, port: target.port!, identity: identity)
                guard try await connection.send(request).status == 201 else { throw ValidationError("the gateway refused the warm-up submission") }
                if index < level { connections.append(connection) } else { largeConnections.append(connection) }
            }
            let serverBefore = servers.reduce(0) { $0 + Self.cpuSeconds(process: $1.processIdentifier) }
            let selfBefore = Self.cpuSeconds(process: nil)
            async let largeResult = Self.load(connections: largeConnections, request: large, seconds: duration)
            let result = await Self.load(connections: connections, request: request, seconds: duration)
            let largeDone = await largeResult
            let residentMiB = Self.residentMiB(process: server.processIdentifier)
            for connection in connections + largeConnections { await connection.close() }
            let serverCPU = servers.reduce(0) { $0 + Self.cpuSeconds(process: $1.processIdentifier) } - serverBefore
            let selfCPU = Self.cpuSeconds(process: nil) - selfBefore
            let sorted = result.latencies.map(\.seconds).sorted()
            let slowest = result.latencies.max { $0.seconds < $1.seconds }
            func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * 1000 }
            print(
                String(
                    format: "%7d  %10.0f  %6.1f  %6.1f  %6.1f  %8.2f  (%d)  %12.2f  %21.2f  %20.2f  %14.0f", level,
                    Double(sorted.count) / result.elapsed,
                    percentile(0.5), percentile(0.99), (sorted.last ?? 0) * 1000, slowest?.startedAt ?? 0, result.errors,
                    serverCPU / result.elapsed, sorted.isEmpty ? 0 : serverCPU * 1000 / Double(sorted.count), selfCPU / result.elapsed,
                    residentMiB))
            if largeClients > 0 {
                let times = largeDone.latencies.map(\.seconds).sorted()
                print(
                    String(
                        format: "  large: %d packages, p50 %.1f ms, max %.1f ms (%d errors); the server CPU above includes them", times.count,
                        times.isEmpty ? 0 : times[times.count / 2] * 1000, (times.last ?? 0) * 1000, largeDone.errors))
            }
        }
        await client.shutdown()
        for server in servers { server.stop() }
        let verify = try LocalGatewayProcess.run(executable, ["audit", "verify"], in: folder).output
        print("after the run: " + verify.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: "; "))
    }

    /// User and system CPU seconds a process has used so far (nil: this one), from
    /// `/proc/PID/stat`; 0 where that cannot be read.
    static func cpuSeconds(process: Int32?) -> Double {
        let path = "/proc/\(process.map(String.init) ?? "self")/stat"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), let close = text.lastIndex(of: ")") else { return 0 }
        // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// A process's resident memory in MiB, from `/proc/PID/statm`; 0 where that cannot be
    /// read. Read after each level, it shows whether a long run's memory stays flat.
    static func residentMiB(process: Int32) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(process)/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }

    /// One answered submission: when it was sent (seconds into the run) and how long it took.
    struct Latency: Sendable {
        var startedAt: Double
        var seconds: Double
    }

    static func load(connections: [LoadConnection], request: LoadConnection.Request, seconds: Double) async -> (
        latencies: [Latency], errors: Int, elapsed: Double
    ) {
        let start = DispatchTime.now().uptimeNanoseconds
        let deadline = start + UInt64(seconds * 1e9)
        return await withTaskGroup(of: ([Latency], Int).self) { group in
            for connection in connections {
                group.addTask {
                    var latencies: [Latency] = []
                    var errors = 0
                    while DispatchTime.now().uptimeNanoseconds < deadline {
                        let begin = DispatchTime.now().uptimeNanoseconds
                        guard let answer = try? await connection.send(request) else {
                            errors += 1
                            break  // the connection is gone
                        }
                        // A submission counts when it was stored: 201 with a receipt in the answer.
                        if answer.status == 201, answer.body.readableBytesView.firstRange(of: Self.receiptMember) != nil {
                            latencies.append(
                                Latency(startedAt: Double(begin - start) / 1e9, seconds: Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9))
                        } else {
                            errors += 1
                        }
                    }
                    return (latencies, errors)
                }
            }
            var all: [Latency] = []
            var errors = 0
            for await (latencies, failed) in group {
                all += latencies
                errors += failed
            }
            return (all, errors, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
    }

    static let receiptMember = Array(#""receipt":""#.utf8)

    /// Generated household records for psb-household-check, as NDJSON.
    static func package(records: Int) -> Data {
        var fake = FakeData(seed: 11)
        var output: [UInt8] = []
        for number in 1...records {
            let birth = fake.birthDate()
            let record = RecordObject([
                ("case_no", .string("2026-\(number)")), ("name", .string(fake.name())),
                ("id_number", .string(fake.residentID(born: birth))), ("sex", .string(number % 2 == 0 ? "女" : "男")),
                ("birth_date", .string(birth.description)), ("phone", .string(fake.mobile())),
                ("household_address", .string(fake.address())), ("notes", .string(fake.caseNote().text)),
            ])
            JSONWriter.append(.object(record), to: &output)
            output.append(0x0A)
        }
        return Data(output)
    }
}
