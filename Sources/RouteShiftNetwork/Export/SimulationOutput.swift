import RouteShiftGeoJSON

/// The contract between the files a simulation writes (`RouteShiftReports`) and
/// the tools that read them back (`RouteShiftMaps`, notebooks): file names, the
/// schema id of `summary.json`, and the property names of segment and route
/// features (the same names head the CSV columns).
public enum SimulationOutput {
    /// `"schema"` of `summary.json`.
    public static let schema = "routeshift.simulation/1"

    /// The files of one run, in byte order of their names.
    public enum File {
        public static let od = "od.csv"
        public static let report = "report.md"
        public static let routesCSV = "routes.csv"
        public static let routes = "routes.geojson"
        public static let segmentsCSV = "segments.csv"
        public static let segments = "segments.geojson"
        public static let summary = "summary.json"
        public static let all = [od, report, routesCSV, routes, segmentsCSV, segments, summary]
    }

    /// Properties of a `segments.geojson` feature, one crossing before and after.
    public enum Segment {
        public static let segment = "segment"
        public static let edgeId = "edge_id"
        public static let kind = "kind"
        public static let border = "border"
        public static let route = "route"
        /// `EdgeStatus.label`.
        public static let status = "status"
        public static let baselineFlow = "baseline_flow"
        public static let scenarioFlow = "scenario_flow"
        public static let change = "change"
        public static let relativeChange = "relative_change"
        /// The columns of `segments.csv`, in order.
        public static let columns = [segment, edgeId, kind, border, route, status, baselineFlow, scenarioFlow, change,
                                     relativeChange]
    }

    /// Properties of a `routes.geojson` feature, one path of an OD pair.
    public enum Route {
        public static let origin = "origin"
        public static let destination = "destination"
        /// `baseline` or `scenario`.
        public static let phase = "phase"
        public static let flow = "flow"
    }

    /// A segment feature: it has a numeric `change`, `baseline_flow` or `scenario_flow`.
    public static func isSegment(_ properties: [String: JSONValue]) -> Bool {
        [Segment.change, Segment.baselineFlow, Segment.scenarioFlow].contains { properties[$0]?.doubleValue != nil }
    }

    /// A route feature: a numeric `flow` with a `phase`, `origin` or `destination`.
    public static func isRoute(_ properties: [String: JSONValue]) -> Bool {
        properties[Route.flow]?.doubleValue != nil
            && [Route.phase, Route.origin, Route.destination].contains { properties[$0] != nil }
    }
}
