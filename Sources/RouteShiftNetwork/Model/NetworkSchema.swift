/// Attribute names and values of RouteShift's geographic network (the bundled
/// Geodata network and any GeoJSON network built like it). Loaders keep every
/// attribute; these are the ones the simulation, reports and maps rely on.
///
/// Nodes (GeoJSON `Point` features):
/// - `id` integer, `name` unique slug used by `--from`/`--to` (e.g. `athens`),
///   `kind` (`hub` or `border-side`), `country` (ISO 3166-1 alpha-2 from Natural
///   Earth's `ISO_A2_EH`, Kosovo `XK`), `roles` (`;`-separated: origin, hub,
///   transit, departure, arrival, destination), `display_name`, `population`.
///
/// Edges (GeoJSON `LineString` features, geometry in source→target order):
/// - `id`, `source`, `target`, `cost`, `reverse_cost` as in pgRouting;
/// - `kind`: `leg` (overland inside one country), `border` (crossing of one
///   land-border section), `sea` (maritime crossing), `ferry` (domestic sea link),
///   `air` (a flight to an entry point open to some nationalities, one way);
/// - `mode`: `land`, `sea` or `air`; `length_km` geodesic length;
/// - `country`: for legs, the country the leg lies in;
/// - `segment`: the crossing's id: border sections `HU-RS-003` (country pair in
///   alphabetical order, sections numbered along the border), sea crossings `SEA-…`;
/// - `border`: the country pair of a land border section (`HU-RS`) or a sea crossing;
/// - `route`: the public route label (see `RouteLabel`);
/// - `risk`: expected deaths and missing per 1,000 crossings (user-editable default);
/// - `barrier` (`none`, `fence`, `river`), `surveillance` (`none`: no systematic checks, crossed as an
///   ordinary traveller; `low`, `medium`, `high`), `status` (`open`, `closed`);
/// - `price_eur`: the recorded price of the crossing per person, where the sources give one;
/// - `since` (`YYYY-MM-DD`): the day a border's `barrier`/`surveillance`/`status`/`price_eur` took
///   effect; before it the border had the defaults (`none`, `medium`, `open`, no price). The cost
///   model applies the state of a given day (`CostModel.apply(_:to:asOf:)`); without a day, every row.
/// - `earlier`: the border's states before `since`, oldest first, each an object with its own
///   `since`, `barrier`, `surveillance`, `status` and optional `price_eur`, in force until the next
///   one's `since`; before the first of them the defaults. A state without `since` holds before
///   every dated one (a sea crossing's defaults at its own recorded price); dated states come in
///   order, each before the edge's own `since` (`BorderState`).
/// - `entry`: the edge's entry rules (visa regimes), an array of `{nationalities, access, from, until}`
///   (`EntryRule`): `nationalities` `*` or ISO alpha-3 codes separated by `;`, `access` `barred` or
///   `open`, days `YYYY-MM-DD` (`until` is the first day no longer in force). Applied per class of
///   demand (`EntryClasses`) on the day modelled; demand without a nationality is not restricted.
///
/// Days are calendar dates `YYYY-MM-DD` (`CalendarDay(parsing:)`: month and day may have one digit)
/// and compare as dates. `kind`, `mode`, `surveillance` and `status` (also in `earlier` states)
/// are checked against these words and every day is checked to be a date when a network is
/// loaded, and the attributes read by the model are kept as typed columns
/// (`RouteNetwork.edgeAttributes`, `EdgeAttributeColumns`).
public enum NetworkSchema {
    public enum EdgeKind: String, CaseIterable, Sendable {
        case leg, border, sea, ferry, air
    }

    public static let kind = "kind"
    public static let mode = "mode"
    public static let segment = "segment"
    public static let border = "border"
    public static let route = "route"
    public static let risk = "risk"
    public static let country = "country"
    public static let lengthKm = "length_km"
    public static let barrier = "barrier"
    public static let surveillance = "surveillance"
    public static let status = "status"
    public static let price = "price_eur"
    public static let since = "since"
    public static let earlier = "earlier"
    public static let entry = "entry"

    /// The key under which a `border` value is indexed: upper case, the two
    /// countries in alphabetical order (`HU-RS` and `rs-hu` name the same border).
    public static func borderKey(_ s: String) -> String {
        let parts = s.uppercased().split(separator: "-")
        return parts.count == 2 ? parts.sorted().joined(separator: "-") : s.uppercased()
    }
}

/// The public route labels used by EU risk analyses.
public enum RouteLabel: String, CaseIterable, Sendable {
    case easternMediterranean = "Eastern Mediterranean"
    case centralMediterranean = "Central Mediterranean"
    case westernMediterranean = "Western Mediterranean"
    case westernAfrican = "Western African"
    case westernBalkans = "Western Balkans"
    case easternLandBorders = "Eastern Land Borders"
    case circularAlbaniaGreece = "Circular Albania–Greece"
    case blackSea = "Black Sea"
    case channel = "Channel"
}
