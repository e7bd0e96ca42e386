import Foundation
import RouteShiftCore
import RouteShiftGeoJSON

/// CSV and JSON forms of an `ObservedDemand` (kept apart from the method that builds it).
public enum ObservedDemandFormats {
    /// The CSV header: `period,origin_hub,destination_hub,nationality,flow,source`.
    public static let csvHeader = "period,origin_hub,destination_hub,nationality,flow,source\n"

    /// One CSV line per row (RFC 4180 quoting), flows with three decimals.
    /// - Complexity: O(rows × row length), the bytes appended to one buffer (the period and
    ///   source texts, shared by many rows, are quoted once each).
    public static func csvRows(_ demand: ObservedDemand) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(demand.rows.count * 160)
        var periodText: (Period, [UInt8])?
        var sourceText: (String, [UInt8])?
        for r in demand.rows {
            if periodText?.0 != r.period { periodText = (r.period, Array(r.period.description.utf8)) }
            if sourceText?.0 != r.source { sourceText = (r.source, Array(quoted(r.source).utf8)) }
            out.append(contentsOf: periodText!.1); out.append(UInt8(ascii: ","))
            out.append(contentsOf: quoted(r.originHub).utf8); out.append(UInt8(ascii: ","))
            out.append(contentsOf: quoted(r.destinationHub).utf8); out.append(UInt8(ascii: ","))
            out.append(contentsOf: r.nationality.utf8); out.append(UInt8(ascii: ","))
            FixedDecimal.append(r.flow, places: 3, to: &out); out.append(UInt8(ascii: ","))
            out.append(contentsOf: sourceText!.1); out.append(UInt8(ascii: "\n"))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `routeshift.demand/1`: the rows and the accounts of each period and nationality.
    public static func json(_ demand: ObservedDemand) -> JSONValue {
        .object([
            "schema": "routeshift.demand/1",
            "periods": .array(demand.periods.map { .string($0.description) }),
            "rows": .array(demand.rows.map { r in
                .object(["period": .string(r.period.description), "origin_hub": .string(r.originHub),
                         "destination_hub": .string(r.destinationHub), "nationality": .string(r.nationality),
                         "flow": .number(rounded(r.flow)), "source": .string(r.source)])
            }),
            "accounts": .array(demand.accounts.map(account)),
        ])
    }

    static func account(_ a: ObservedDemand.Account) -> JSONValue {
        .object(["period": .string(a.period.description), "nationality": .string(a.nationality),
                 "detections": .number(rounded(a.detections)), "first_entries": .number(rounded(a.firstEntries)),
                 "unknown_share": .number(rounded(a.unknownShare)), "secondary": .number(rounded(a.secondary)),
                 "flown_in": .number(rounded(a.flownIn)), "placed": .number(rounded(a.placed)), "unplaced": .number(rounded(a.unplaced)), "note": .string(a.note)])
    }

    /// Totals of each period and nationality as text lines (for stderr): the `limit`
    /// largest nationalities, then every other one with people left unplaced (with why),
    /// then the unknown-nationality line.
    public static func totalsText(_ demand: ObservedDemand, limit: Int = 12) -> String {
        var out = ""
        for p in demand.periods {
            let accs = demand.accounts.filter { $0.period == p }
            let known = accs.filter { $0.nationality != FrontexDetections.unknownNationality }
            let placed = known.reduce(0) { $0 + $1.placed }, unplaced = known.reduce(0) { $0 + $1.unplaced }
            let secondary = accs.reduce(0) { $0 + $1.secondary }, detections = accs.reduce(0) { $0 + $1.detections }
            let flown = accs.reduce(0) { $0 + $1.flownIn }
            let flownText = flown > 0 ? "; \(whole(flown)) Western Balkans detections of nationals flying in without a visa counted as entries" : ""
            out += "\(p): \(whole(placed)) people placed, \(whole(unplaced)) unplaced, from \(whole(detections)) detections (\(whole(secondary)) secondary Western Balkans detections left out\(flownText))\n"
            for a in known.sorted(by: { ($1.placed + $1.unplaced, $0.nationality) < ($0.placed + $0.unplaced, $1.nationality) }).prefix(limit) {
                out += "  \(a.nationality) \(whole(a.placed + a.unplaced)) (first entries \(whole(a.firstEntries)), OOO share \(whole(a.unknownShare)), unplaced \(whole(a.unplaced)))\(a.note.isEmpty ? "" : ": " + a.note)\n"
            }
            if known.count > limit {
                let rest = known.sorted(by: { ($1.placed + $1.unplaced, $0.nationality) < ($0.placed + $0.unplaced, $1.nationality) }).dropFirst(limit)
                out += "  … \(rest.count) more nationalities (\(whole(rest.reduce(0) { $0 + $1.placed + $1.unplaced })) people)\n"
                // Every nationality with people left unplaced is named, however few.
                for a in rest where a.unplaced > 0 {
                    out += "  \(a.nationality) \(whole(a.placed + a.unplaced)) (unplaced \(whole(a.unplaced)))\(a.note.isEmpty ? "" : ": " + a.note)\n"
                }
            }
            if let o = accs.first(where: { $0.nationality == FrontexDetections.unknownNationality }) {
                out += "  OOO \(whole(o.detections)) detections: \(whole(o.unknownShare)) shared among known nationalities, \(whole(o.secondary)) secondary, \(whole(o.unplaced)) unplaced\n"
            }
        }
        return out
    }

    static func rounded(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
    static func whole(_ x: Double) -> String { FixedDecimal.text(x, places: 0) }

    static func quoted(_ s: String) -> String { CSV.field(s) }
}
