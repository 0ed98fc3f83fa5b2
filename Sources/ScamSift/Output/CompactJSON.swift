import Foundation

/// One compact JSON line with sorted keys, the same bytes as `JSONEncoder` with
/// `[.sortedKeys, .withoutEscapingSlashes]` (a test compares the two on every sample), at a
/// fraction of its cost: `score -f jsonl` spent most of the time it did not spend scoring in
/// Foundation's encoder. Values go into a small tree (`Node`), which is then written out.
public enum CompactJSON {
    /// `userInfo` reaches every nested value's encoder, as JSONEncoder's does.
    public static func line<T: Encodable>(_ value: T, userInfo: [CodingUserInfoKey: Any] = [:]) throws -> String {
        let encoder = TreeEncoder(userInfo: userInfo)
        try value.encode(to: encoder)
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(encoder.storage.node, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    indirect enum Node {
        case null, bool(Bool), integer(String), double(Double), string(String)
        case array(Box), object(Box)
    }

    /// A container's children, shared by reference so nested containers can fill it later.
    final class Box {
        var items: [Node] = []
        var keys: [String] = []
    }

    /// Where an encoder's value goes: one node, which a container turns into an array or object.
    final class Slot {
        var node: Node = .null
    }

    static func write(_ node: Node, into out: inout [UInt8]) {
        switch node {
        case .null: out += Array("null".utf8)
        case let .bool(b): out += Array((b ? "true" : "false").utf8)
        case let .integer(s): out += Array(s.utf8)
        case let .double(d): writeDouble(d, into: &out)
        case let .string(s): writeString(s, into: &out)
        case let .array(box):
            out.append(UInt8(ascii: "["))
            for (i, item) in box.items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case let .object(box):
            out.append(UInt8(ascii: "{"))
            // Keys in byte order, as JSONEncoder's .sortedKeys (a later duplicate key wins there too).
            let order = box.keys.indices.sorted { box.keys[$0].utf8.lexicographicallyPrecedes(box.keys[$1].utf8) }
            var first = true
            for (n, i) in order.enumerated() where n + 1 == order.count || box.keys[order[n + 1]] != box.keys[i] {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeString(box.keys[i], into: &out)
                out.append(UInt8(ascii: ":"))
                write(box.items[i], into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func writeDouble(_ d: Double, into out: inout [UInt8]) {
        // JSONEncoder writes a whole number without ".0", and refuses NaN and infinities (the
        // values encoded here never hold them; null keeps the line valid if one ever did).
        guard d.isFinite else { out += Array("null".utf8); return }
        var s = d.description
        if s.hasSuffix(".0") { s.removeLast(2) }
        out += Array(s.utf8)
    }

    static let hex = Array("0123456789abcdef".utf8)

    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x08: out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: out += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0..<0x20: out += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    // MARK: - Encoder

    final class TreeEncoder: Encoder {
        let storage: Slot
        var codingPath: [CodingKey] = []
        let userInfo: [CodingUserInfoKey: Any]

        init(storage: Slot = Slot(), userInfo: [CodingUserInfoKey: Any]) {
            self.storage = storage
            self.userInfo = userInfo
        }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            let box: Box
            if case let .object(existing) = storage.node { box = existing } else { box = Box(); storage.node = .object(box) }
            return KeyedEncodingContainer(Keyed<Key>(box: box, userInfo: userInfo))
        }

        func unkeyedContainer() -> UnkeyedEncodingContainer {
            let box: Box
            if case let .array(existing) = storage.node { box = existing } else { box = Box(); storage.node = .array(box) }
            return Unkeyed(box: box, userInfo: userInfo)
        }

        func singleValueContainer() -> SingleValueEncodingContainer { Single(slot: storage, userInfo: userInfo) }
    }

    /// A value's node: scalars directly, anything else through its own `encode(to:)`.
    static func node<T: Encodable>(_ value: T, userInfo: [CodingUserInfoKey: Any]) throws -> Node {
        switch value {
        case let s as String: return .string(s)
        case let i as Int: return .integer(String(i))
        case let b as Bool: return .bool(b)
        case let d as Double: return .double(d)
        // JSONEncoder's own special cases, so the bytes stay the same if such a value appears.
        case let u as URL: return .string(u.absoluteString)
        case let d as Data: return .string(d.base64EncodedString())
        default:
            let encoder = TreeEncoder(userInfo: userInfo)
            try value.encode(to: encoder)
            return encoder.storage.node
        }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let box: Box
        let userInfo: [CodingUserInfoKey: Any]
        var codingPath: [CodingKey] = []

        mutating func put(_ node: Node, _ key: Key) {
            box.keys.append(key.stringValue)
            box.items.append(node)
        }
        mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { put(.bool(value), key) }
        mutating func encode(_ value: String, forKey key: Key) throws { put(.string(value), key) }
        mutating func encode(_ value: Double, forKey key: Key) throws { put(.double(value), key) }
        mutating func encode(_ value: Float, forKey key: Key) throws { put(.double(Double(value)), key) }
        mutating func encode(_ value: Int, forKey key: Key) throws { put(.integer(String(value)), key) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { put(.integer(String(value)), key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { put(.integer(String(value)), key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { put(.integer(String(value)), key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { put(.integer(String(value)), key) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { put(.integer(String(value)), key) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { put(.integer(String(value)), key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { put(.integer(String(value)), key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { put(.integer(String(value)), key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { put(.integer(String(value)), key) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { put(try CompactJSON.node(value, userInfo: userInfo), key) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            let nested = Box()
            put(.object(nested), key)
            return KeyedEncodingContainer(Keyed<NestedKey>(box: nested, userInfo: userInfo))
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
            let nested = Box()
            put(.array(nested), key)
            return Unkeyed(box: nested, userInfo: userInfo)
        }
        mutating func superEncoder() -> Encoder { superEncoder(forKey: Key(stringValue: "super")!) }
        mutating func superEncoder(forKey key: Key) -> Encoder {
            let slot = Slot()
            let encoder = TreeEncoder(storage: slot, userInfo: userInfo)
            // The super value is known only once the caller has written it: a placeholder box
            // that the nested encoder's first container fills.
            let nested = Box()
            slot.node = .object(nested)
            put(.object(nested), key)
            return encoder
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let box: Box
        let userInfo: [CodingUserInfoKey: Any]
        var codingPath: [CodingKey] = []
        var count: Int { box.items.count }

        mutating func encodeNil() throws { box.items.append(.null) }
        mutating func encode(_ value: String) throws { box.items.append(.string(value)) }
        mutating func encode(_ value: Int) throws { box.items.append(.integer(String(value))) }
        mutating func encode(_ value: Double) throws { box.items.append(.double(value)) }
        mutating func encode(_ value: Bool) throws { box.items.append(.bool(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws { box.items.append(try CompactJSON.node(value, userInfo: userInfo)) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let nested = Box()
            box.items.append(.object(nested))
            return KeyedEncodingContainer(Keyed<NestedKey>(box: nested, userInfo: userInfo))
        }
        mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
            let nested = Box()
            box.items.append(.array(nested))
            return Unkeyed(box: nested, userInfo: userInfo)
        }
        mutating func superEncoder() -> Encoder {
            let nested = Box()
            box.items.append(.object(nested))
            let slot = Slot()
            slot.node = .object(nested)
            return TreeEncoder(storage: slot, userInfo: userInfo)
        }
    }

    struct Single: SingleValueEncodingContainer {
        let slot: Slot
        let userInfo: [CodingUserInfoKey: Any]
        var codingPath: [CodingKey] = []

        mutating func encodeNil() throws { slot.node = .null }
        mutating func encode(_ value: Bool) throws { slot.node = .bool(value) }
        mutating func encode(_ value: String) throws { slot.node = .string(value) }
        mutating func encode(_ value: Double) throws { slot.node = .double(value) }
        mutating func encode(_ value: Float) throws { slot.node = .double(Double(value)) }
        mutating func encode(_ value: Int) throws { slot.node = .integer(String(value)) }
        mutating func encode(_ value: Int8) throws { slot.node = .integer(String(value)) }
        mutating func encode(_ value: Int16) throws { slot.node = .integer(String(value)) }
        mutating func encode(_ value: Int32) throws { slot.node = .integer(String(value)) }
        mutating func encode(_ value: Int64) throws { slot.node = .integer(String(value)) }
        mutating func encode(_ value: UInt) throws { slot.node = .integer(String(value)) }
        mutating func encode(_ value: UInt8) throws { slot.node = .integer(String(value)) }
        mutating func encode(_ value: UInt16) throws { slot.node = .integer(String(value)) }
        mutating func encode(_ value: UInt32) throws { slot.node = .integer(String(value)) }
        mutating func encode(_ value: UInt64) throws { slot.node = .integer(String(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws { slot.node = try CompactJSON.node(value, userInfo: userInfo) }
    }
}
