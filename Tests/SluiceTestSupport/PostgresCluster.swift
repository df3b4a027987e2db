import Foundation

/// A PostgreSQL server of the tests' own: a new cluster in a temporary folder, started once
/// per test process on a free loopback port, each test given a database of its own. As
/// root (CI), `initdb` and the server run as the `postgres` user, which they require. A
/// watcher stops the server by its process id and removes the folder when this process
/// ends, however it ends.
public final class PostgresCluster: Sendable {
    public static let shared: Result<PostgresCluster, any Error> = Result { try PostgresCluster() }

    public let folder: String
    public let port: Int
    private let binaries: String
    private let runAs: String?
    /// Owns the databases the tests make; connects over the socket in `folder`.
    public static let superuser = "sluice_test_owner"
    /// A login role without a password that the server lets in with its client certificate.
    public static let certificateUser = "sluice_cert_user"

    /// The test CA (`ca.pem`) that signed the server's certificate (`server.pem`, for
    /// localhost and 127.0.0.1) and the certificate user's (`client.pem`, `client.key`);
    /// `other-ca.pem` is a CA that signed nothing here.
    public var tls: String { folder + "/tls" }

    private init() throws {
        guard let binaries = Self.findBinaries() else {
            throw ClusterError("PostgreSQL's server programs (initdb, postgres) are not installed: apt-get install postgresql")
        }
        self.binaries = binaries
        runAs = getuid() == 0 ? "postgres" : nil
        folder = NSTemporaryDirectory() + "sluice-pg-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        if let runAs { try Self.run("/bin/chown", [runAs, folder]) }
        port = try Self.freePort()
        try run(binaries + "/initdb", ["-D", folder + "/data", "-U", Self.superuser, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
        try makeCertificates()
        // Over the socket (the tests' own setup) as anyone; over TCP a password, or for the
        // certificate's user a client certificate over TLS.
        try write(
            """
            local all all trust
            hostssl all \(Self.certificateUser) 127.0.0.1/32 cert
            host all all 127.0.0.1/32 scram-sha-256
            """, to: folder + "/data/pg_hba.conf", mode: 0o600)
        let log = folder + "/server.log"
        let server = try start(
            binaries + "/postgres",
            [
                "-D", folder + "/data", "-p", String(port), "-k", folder, "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200",
                "-c", "fsync=on", "-c", "ssl=on", "-c", "ssl_cert_file=\(tls)/server.pem", "-c", "ssl_key_file=\(tls)/server.key",
                "-c", "ssl_ca_file=\(tls)/ca.pem",
            ], log: log)
        // Stops the server by its process id once this test process is gone.
        let watcher = Process()
        watcher.executableURL = URL(fileURLWithPath: "/bin/sh")
        watcher.arguments = [
            "-c",
            // The postmaster's own id is the first line of its pid file (runuser, whose id
            // `server` is, does not pass SIGINT on).
            "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; "
                + "kill -INT $(head -n 1 '\(folder)/data/postmaster.pid') 2>/dev/null; "
                + "while kill -0 \(server) 2>/dev/null; do sleep 0.2; done; rm -rf '\(folder)'",
        ]
        // Not this process's output: the test runner waits for it to close.
        watcher.standardOutput = FileHandle.nullDevice
        watcher.standardError = FileHandle.nullDevice
        watcher.standardInput = FileHandle.nullDevice
        try watcher.run()
        for _ in 0..<200 {
            if (try? psql("SELECT 1")) != nil { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw ClusterError("the test PostgreSQL server did not start: " + ((try? String(contentsOfFile: log, encoding: .utf8)) ?? ""))
    }

    /// A new empty database owned by a new login role (with a password), and the URL that
    /// reaches it over TCP without TLS.
    public func makeDatabase() throws -> (url: String, name: String) {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try psql("CREATE ROLE \(name) LOGIN PASSWORD '\(name)-secret'")
        try psql("CREATE DATABASE \(name) OWNER \(name)")
        return ("postgres://\(name):\(name)-secret@127.0.0.1:\(port)/\(name)?sslmode=disable", name)
    }

    /// Runs SQL as the superuser, in `database`; returns what psql printed (unaligned, tuples only).
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres", as user: String = superuser) throws -> String {
        let psql = binaries + "/psql"
        return try Self.run(psql, ["-h", folder, "-p", String(port), "-U", user, "-d", database, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql])
    }

    private func makeCertificates() throws {
        try FileManager.default.createDirectory(atPath: tls, withIntermediateDirectories: false)
        let openssl = ["/usr/bin/openssl", "/usr/local/bin/openssl"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "openssl"
        func ssl(_ arguments: String) throws { try Self.run(openssl, arguments.split(separator: " ").map(String.init)) }
        let key = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
        try ssl("req -x509 \(key) -keyout \(tls)/ca.key -out \(tls)/ca.pem -days 2 -subj /CN=sluice-test-ca")
        try ssl("req -x509 \(key) -keyout \(tls)/other-ca.key -out \(tls)/other-ca.pem -days 2 -subj /CN=sluice-other-ca")
        try write("subjectAltName=DNS:localhost,IP:127.0.0.1\n", to: tls + "/server.ext", mode: 0o644)
        try ssl("req \(key) -keyout \(tls)/server.key -out \(tls)/server.csr -subj /CN=localhost")
        try ssl(
            "x509 -req -in \(tls)/server.csr -CA \(tls)/ca.pem -CAkey \(tls)/ca.key -CAcreateserial -out \(tls)/server.pem -days 2 -extfile \(tls)/server.ext"
        )
        try ssl("req \(key) -keyout \(tls)/client.key -out \(tls)/client.csr -subj /CN=\(Self.certificateUser)")
        try ssl("x509 -req -in \(tls)/client.csr -CA \(tls)/ca.pem -CAkey \(tls)/ca.key -CAcreateserial -out \(tls)/client.pem -days 2")
        // The server reads its key only when its own user owns it, readable by nobody else.
        chmod(tls + "/server.key", 0o600)
        if let runAs { try Self.run("/bin/chown", ["-R", runAs, tls]) }
    }

    private func write(_ text: String, to path: String, mode: Int) throws {
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, mode_t(mode))
        if let runAs { try Self.run("/bin/chown", [runAs, path]) }
    }

    private func run(_ program: String, _ arguments: [String]) throws {
        if let runAs { try Self.run("/usr/sbin/runuser", ["-u", runAs, "--", program] + arguments) } else { try Self.run(program, arguments) }
    }

    private func start(_ program: String, _ arguments: [String], log: String) throws -> Int32 {
        FileManager.default.createFile(atPath: log, contents: nil)
        if let runAs { try Self.run("/bin/chown", [runAs, log]) }
        let process = Process()
        if let runAs {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            process.arguments = ["-u", runAs, "--", program] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = arguments
        }
        let handle = FileHandle(forWritingAtPath: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process.processIdentifier
    }

    @discardableResult
    private static func run(_ program: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw ClusterError("\((program as NSString).lastPathComponent) failed (\(process.terminationStatus)): \(text)")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func findBinaries() -> String? {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            let folder = "/usr/lib/postgresql/\(version)/bin"
            if FileManager.default.isExecutableFile(atPath: folder + "/initdb") { return folder }
        }
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        where FileManager.default.isExecutableFile(atPath: folder + "/initdb") {
            return folder
        }
        return nil
    }

    private static func freePort() throws -> Int {
        let socket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw ClusterError("no free port on 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    public struct ClusterError: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
