/// A contiguous column of plain values: a Swift array, or values that stay in
/// place in memory another object owns (a memory-mapped `.rsnet` cache), so a
/// compiled graph is used without copying or rebuilding it.
///
/// Reads behave like an array's; writing to a column held in place first copies
/// it into an array of its own (the mapped memory is never written). Hot loops
/// take the whole column through `withUnsafeBufferPointer`, once.
///
/// `@unchecked Sendable`: memory held in place is read-only for the owner's
/// lifetime, and the owner is kept alive by every copy of the column.
public struct Column<Element: BitwiseCopyable>: @unchecked Sendable {
    @usableFromInline
    enum Storage {
        case array([Element])
        case region(UnsafeBufferPointer<Element>, owner: AnyObject)
    }

    @usableFromInline var storage: Storage

    /// The values of `array`.
    @inlinable
    public init(_ array: [Element]) { storage = .array(array) }

    /// The values at `region`, which stay valid, unchanged, as long as `owner` lives.
    public init(unsafeRegion region: UnsafeBufferPointer<Element>, owner: AnyObject & Sendable) {
        storage = .region(region, owner: owner)
    }

    /// Whether the values live in memory owned by another object (not in an array).
    public var isHeldInPlace: Bool {
        if case .region = storage { return true }
        return false
    }

    /// The values as an array (a copy when they are held in place).
    public var array: [Element] {
        switch storage {
        case let .array(values): return values
        case let .region(buffer, _): return Array(buffer)
        }
    }

    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        switch storage {
        case let .array(values): return try values.withUnsafeBufferPointer(body)
        case let .region(buffer, owner): return try withExtendedLifetime(owner) { try body(buffer) }
        }
    }

    /// Runs `body` on the values as an array of their own, which it may change.
    @inlinable
    mutating func withOwnedArray<R>(_ body: (inout [Element]) throws -> R) rethrows -> R {
        var values: [Element]
        switch storage {
        case let .array(held): values = held
        case let .region(buffer, _): values = Array(buffer)
        }
        storage = .array([])  // drops this column's reference, so `values` is uniquely referenced
        defer { storage = .array(values) }
        return try body(&values)
    }
}

extension Column: RandomAccessCollection, MutableCollection {
    public typealias Index = Int
    public typealias Indices = Range<Int>
    public typealias SubSequence = Slice<Column<Element>>

    @inlinable public var startIndex: Int { 0 }

    @inlinable
    public var endIndex: Int {
        switch storage {
        case let .array(values): return values.count
        case let .region(buffer, _): return buffer.count
        }
    }

    @inlinable
    public subscript(position: Int) -> Element {
        get {
            switch storage {
            case let .array(values): return values[position]
            case let .region(buffer, _):
                precondition(position >= 0 && position < buffer.count, "Column index out of range")
                return buffer[position]
            }
        }
        set { withOwnedArray { $0[position] = newValue } }
    }

    @inlinable
    public subscript(bounds: Range<Int>) -> Slice<Column<Element>> {
        get { Slice(base: self, bounds: bounds) }
        set { for (i, value) in zip(bounds, newValue) { self[i] = value } }
    }
}

extension Column: RangeReplaceableCollection {
    @inlinable public init() { storage = .array([]) }

    @inlinable
    public mutating func replaceSubrange<C: Collection>(_ subrange: Range<Int>, with newElements: C)
    where C.Element == Element {
        withOwnedArray { $0.replaceSubrange(subrange, with: newElements) }
    }

    @inlinable
    public mutating func append(_ newElement: Element) { withOwnedArray { $0.append(newElement) } }

    @inlinable
    public mutating func append<S: Sequence>(contentsOf newElements: S) where S.Element == Element {
        withOwnedArray { $0.append(contentsOf: newElements) }
    }

    @inlinable
    public mutating func reserveCapacity(_ n: Int) { withOwnedArray { $0.reserveCapacity(n) } }

    @inlinable
    public mutating func removeAll(keepingCapacity keepCapacity: Bool = false) {
        withOwnedArray { $0.removeAll(keepingCapacity: keepCapacity) }
    }
}

extension Column: ExpressibleByArrayLiteral {
    @inlinable public init(arrayLiteral elements: Element...) { storage = .array(elements) }
}

extension Column: Equatable where Element: Equatable {
    @inlinable
    public static func == (a: Column, b: Column) -> Bool { a.elementsEqual(b) }
}

extension Column: Hashable where Element: Hashable {
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for value in self { hasher.combine(value) }
    }
}

extension Column: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { array.description }
    public var debugDescription: String { array.debugDescription }
}
