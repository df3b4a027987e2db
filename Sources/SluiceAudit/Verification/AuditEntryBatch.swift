import Foundation

/// Audit bundles copied out of SQLite, a batch of entries at a time, with the stored
/// subtree hashes that end among them, so that checking the entries and folding them into
/// the tree run on another core while the next batch is read.
public struct AuditEntryBatch: Sendable {
    /// Entries per batch, at least: about a megabyte of entries. Bundles are never split,
    /// so a batch holds whole bundles and may hold more.
    public static let capacity = 2048

    /// The sequence each entry has by its place: its bundle's first plus its line.
    private(set) var sequences: [UInt64] = []
    /// The stored subtree hashes ending at a leaf before the end of this batch (and after
    /// the previous batch's), in the order the tree completes them.
    public var subtrees: [StoredSubtree] = []
    /// What the bundles say about themselves that their entries contradict.
    private(set) var bundleProblems: [(entry: UInt64, message: String)] = []
    /// Whether the query ended with this batch: stepping it again would start over.
    public var sawEnd = false
    private var bytes: [UInt8] = []
    /// Bytes of `bytes` in use: it is sized ahead of use, so columns are copied in with
    /// memcpy instead of appended through `Array`.
    private var used = 0
    /// Per entry: its JSON's start and length in `bytes`, its leaf hash's start (-1 when
    /// the bundle has none for it), and its bundle's index in `bundles`.
    private var entries: [(json: Range<Int>, leaf: Int, bundle: Int)] = []
    /// Per bundle: where its minimum and maximum times lie in `bytes`.
    private var bundles: [(minTime: Range<Int>, maxTime: Range<Int>)] = []

    public var count: Int { sequences.count }
    public var isEmpty: Bool { sequences.isEmpty }

    public init() {
        sequences.reserveCapacity(Self.capacity)
        entries.reserveCapacity(Self.capacity)
        // Left uninitialised: every byte is written before it is read, and zero-filling a
        // megabyte per batch showed up in the profile.
        bytes = [UInt8](unsafeUninitializedCapacity: Self.capacity * 560) { _, count in count = Self.capacity * 560 }
    }

    /// Appends one stored bundle: its first sequence, the count it declares, its time
    /// range, its leaf hashes and its entries, one per line.
    public mutating func appendBundle(
        first: UInt64, count declared: Int64, minTime: UnsafeRawBufferPointer, maxTime: UnsafeRawBufferPointer,
        leafHashes: UnsafeRawBufferPointer, entries text: UnsafeRawBufferPointer
    ) {
        let minTimeAt = copy(minTime)
        let maxTimeAt = copy(maxTime)
        let leavesAt = copy(leafHashes)
        let textAt = copy(text)
        let bundle = bundles.count
        bundles.append((minTimeAt..<minTimeAt + minTime.count, maxTimeAt..<maxTimeAt + maxTime.count))
        let lines = AuditEntryBatch.lines(in: text)
        if Int64(lines.count) != declared || leafHashes.count != lines.count * 32 {
            bundleProblems.append(
                (
                    first,
                    "the bundle starting at entry \(first) says it holds \(declared) entries and has \(leafHashes.count / 32) leaf hashes, but holds \(lines.count) entries: its bookkeeping was changed"
                ))
        }
        for (offset, line) in lines.enumerated() {
            sequences.append(first + UInt64(offset))
            let leaf = (offset + 1) * 32 <= leafHashes.count ? leavesAt + offset * 32 : -1
            entries.append((textAt + line.lowerBound..<textAt + line.upperBound, leaf, bundle))
        }
    }

    /// Where each entry's JSON lies in a bundle's `entries` column: the lines, each
    /// without its newline (text after the last newline is a line too, so no byte is
    /// left unread).
    public static func lines(in entries: UnsafeRawBufferPointer) -> [Range<Int>] {
        var lines: [Range<Int>] = []
        guard let base = entries.baseAddress else { return lines }
        var start = 0
        while start < entries.count {
            guard let found = memchr(base + start, 0x0A, entries.count - start) else {
                lines.append(start..<entries.count)
                break
            }
            let end = base.distance(to: UnsafeRawPointer(found))
            lines.append(start..<end)
            start = end + 1
        }
        return lines
    }

    /// Copies `source` to the end of `bytes`, returning where it starts.
    private mutating func copy(_ source: UnsafeRawBufferPointer) -> Int {
        if used + source.count > bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(source.count, bytes.count))) }
        let start = used
        if let base = source.baseAddress, !source.isEmpty {
            bytes.withUnsafeMutableBytes { storage in _ = memcpy(storage.baseAddress! + start, base, source.count) }
        }
        used += source.count
        return start
    }

    /// What the batch alone says about each entry, in order.
    func check() -> [AuditEntryCheck] {
        bytes.withUnsafeBytes { all in
            func span(_ range: Range<Int>) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: all[range]) }
            return entries.map { entry in
                let json = span(entry.json)
                let leaf = MerkleHash.leaf(raw: json)
                let leafMatches = entry.leaf >= 0 && leaf.equals(raw: span(entry.leaf..<entry.leaf + 32))
                var check = AuditEntryCheck(
                    declared: AuditEntry.declaredSequence(in: json), leaf: leaf, leafMatches: leafMatches, timeCovered: false,
                    wellFormed: false)
                guard let places = AuditEntryIndex.places(in: json) else { return check }
                check.wellFormed = true
                let bounds = bundles[entry.bundle]
                if places.escaped {
                    // Rare (a value with a quote or control character): compare decoded text.
                    guard let index = AuditEntryIndex(json: json) else { return check }
                    let minTime = String(decoding: span(bounds.minTime), as: UTF8.self)
                    let maxTime = String(decoding: span(bounds.maxTime), as: UTF8.self)
                    check.timeCovered = minTime <= index.time && index.time <= maxTime
                    check.timeKey = Self.timeKey(index.time.utf8)
                    check.correctsClock = index.action == AuditAction.clockCorrected.rawValue
                    if index.outcome == AuditOutcome.success.rawValue,
                        let action = AuditAction(rawValue: index.action), AuditAction.registryChanges.contains(action)
                    {
                        check.registryChange = String(decoding: json, as: UTF8.self)
                    }
                    return check
                }
                // The places are offsets into the entry's JSON, not into the batch.
                func field(_ range: Range<Int>) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: json[range]) }
                let time = field(places.time)
                check.timeCovered = Self.order(span(bounds.minTime), time) <= 0 && Self.order(time, span(bounds.maxTime)) <= 0
                check.timeKey = Self.timeKey(time)
                check.correctsClock = Self.equal(field(places.action), "gateway.clock_corrected")
                if Self.equal(field(places.outcome), "success"), AuditAction.recordsRegistryChange(written: field(places.action)) {
                    check.registryChange = String(decoding: json, as: UTF8.self)
                }
                return check
            }
        }
    }

    /// An entry time's digits as one number (YYYYMMDDHHMMSSmmm): in the trail's one fixed
    /// format, it orders as the text does, without making a string of every entry's time.
    static func timeKey(_ bytes: some Sequence<UInt8>) -> Int64 {
        var key: Int64 = 0
        for byte in bytes where byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
            key = key &* 10 &+ Int64(byte - UInt8(ascii: "0"))
        }
        return key
    }

    /// Whether `bytes` are exactly `text`.
    static func equal(_ bytes: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
        bytes.count == text.utf8CodeUnitCount && (bytes.isEmpty || memcmp(bytes.baseAddress!, text.utf8Start, bytes.count) == 0)
    }

    /// Byte order, as SQLite's BINARY collation compares text: memcmp, then length.
    static func order(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let common = min(a.count, b.count)
        if common > 0 {
            let byBytes = memcmp(a.baseAddress!, b.baseAddress!, common)
            if byBytes != 0 { return Int(byBytes) }
        }
        return a.count - b.count
    }
}

/// The checks on one entry that need only its own bundle.
struct AuditEntryCheck: Sendable {
    var declared: UInt64?
    var leaf: MerkleHash
    var leafMatches: Bool
    /// Whether the entry's time lies within its bundle's recorded range, which is what
    /// time queries trust.
    var timeCovered: Bool
    var wellFormed: Bool
    /// The entry's time as ``AuditEntryBatch/timeKey(_:)`` orders it.
    var timeKey: Int64 = 0
    /// A recorded clock correction: the one entry that may be dated before its predecessor.
    var correctsClock = false
    /// The entry's JSON when it records a successful registry change, for the registry
    /// cross-check.
    var registryChange: String?
}
