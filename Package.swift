// swift-tools-version:6.0
//
// RouteShift: route graphs over real geographic border segments, closure and
// displacement simulation, GeoJSON export.
//
// Module layering (one direction of dependency only):
//
//   CGEOS, CPROJ                 C system libraries (GEOS thread-safe API, PROJ + geodesic.h)
//   CMemoryHints                 cache prefetch hint for the search loops (inline C)
//   RouteShiftCore               coordinates, errors, atomic output, id suggestions
//   RouteShiftGeoJSON            RFC 7946 model, strict decoding, streaming writer
//   RouteShiftGeodesy            PROJ: Karney geodesics on WGS84, CRS transforms
//   RouteShiftGeometry           GEOS: validity, overlay, line merge, STRtree, ...
//   RouteShiftGraph              CSR graph storage and shortest-path algorithms (pure Swift)
//   RouteShiftNetwork            geographic route network: loaders, geodesic A* bound, export
//   RouteShiftGeodata            derives the bundled network from public sources (borders, hubs, sea legs)
//   RouteShiftObservations       recorded data: Frontex, Eurostat, UNHCR, IOM; periods, observed demand and risk
//   RouteShiftSimulation         closure scenarios, cost model, assignment, displacement, sweeps
//   RouteShiftMaps               SVG/PNG/HTML route maps in a PROJ projection
//   RouteShiftCommands           the `routeshift` command tree (thin layer over the above)
//   routeshift                   executable entry point
import PackageDescription

let package = Package(
    name: "RouteShift",
    products: [
        .executable(name: "routeshift", targets: ["routeshift"]),
        .library(name: "RouteShift", targets: [
            "RouteShiftCore", "RouteShiftGeoJSON", "RouteShiftGeodesy", "RouteShiftGeometry",
            "RouteShiftGraph", "RouteShiftNetwork", "RouteShiftGeodata", "RouteShiftObservations", "RouteShiftSimulation", "RouteShiftMaps",
        ]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CGEOS",
            pkgConfig: "geos",
            providers: [.apt(["libgeos-dev"])]
        ),
        .systemLibrary(
            name: "CPROJ",
            pkgConfig: "proj",
            providers: [.apt(["libproj-dev"])]
        ),
        .target(name: "CMemoryHints"),
        .target(name: "RouteShiftCore"),
        .target(name: "RouteShiftGeoJSON", dependencies: ["RouteShiftCore"]),
        .target(name: "RouteShiftGeodesy", dependencies: ["CPROJ", "RouteShiftCore"]),
        .target(name: "RouteShiftGeometry", dependencies: ["CGEOS", "RouteShiftCore", "RouteShiftGeoJSON"]),
        .target(
            name: "RouteShiftGraph",
            dependencies: ["CMemoryHints"],
            swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]
        ),
        .target(name: "RouteShiftNetwork", dependencies: [
            "RouteShiftCore", "RouteShiftGeoJSON", "RouteShiftGeodesy", "RouteShiftGeometry", "RouteShiftGraph",
        ]),
        .target(name: "RouteShiftGeodata", dependencies: [
            "RouteShiftNetwork", "RouteShiftGeometry", "RouteShiftGeodesy", "RouteShiftGeoJSON",
        ]),
        .target(name: "RouteShiftObservations", dependencies: [
            "RouteShiftCore", "RouteShiftGeoJSON", "RouteShiftGeodesy", "RouteShiftGeometry", "RouteShiftGraph", "RouteShiftNetwork",
        ]),
        .target(name: "RouteShiftSimulation", dependencies: [
            "RouteShiftNetwork",
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "RouteShiftMaps", dependencies: [
            "RouteShiftNetwork", "RouteShiftGeodesy", "RouteShiftGeoJSON", "RouteShiftGeometry",
        ]),
        .target(name: "RouteShiftCommands", dependencies: [
            "RouteShiftNetwork", "RouteShiftGeodata", "RouteShiftObservations", "RouteShiftSimulation", "RouteShiftMaps",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "routeshift", dependencies: ["RouteShiftCommands"]),
        .executableTarget(name: "routeshift-bench", dependencies: ["RouteShiftNetwork", "RouteShiftGraph"],
                          path: "Benchmarks/RouteShiftBench"),

        // Shared by the test targets (fixed-seed random numbers); not part of any product.
        .target(name: "RouteShiftTestSupport", path: "Tests/RouteShiftTestSupport"),
        .testTarget(name: "RouteShiftCoreTests", dependencies: ["RouteShiftCore"]),
        .testTarget(name: "RouteShiftGeoJSONTests", dependencies: ["RouteShiftGeoJSON"]),
        .testTarget(name: "RouteShiftGeodesyTests", dependencies: ["RouteShiftGeodesy"]),
        .testTarget(name: "RouteShiftGeometryTests", dependencies: ["RouteShiftGeometry", "RouteShiftTestSupport"]),
        .testTarget(name: "RouteShiftGraphTests", dependencies: ["RouteShiftGraph", "RouteShiftTestSupport"]),
        .testTarget(name: "RouteShiftNetworkTests", dependencies: ["RouteShiftNetwork", "RouteShiftTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RouteShiftGeodataTests", dependencies: ["RouteShiftGeodata"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RouteShiftSimulationTests", dependencies: ["RouteShiftSimulation", "RouteShiftTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RouteShiftObservationsTests", dependencies: ["RouteShiftObservations"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RouteShiftMapsTests", dependencies: ["RouteShiftMaps", "RouteShiftTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RouteShiftCLITests", dependencies: ["RouteShiftCommands", "routeshift"]),
    ]
)
