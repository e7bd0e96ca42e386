// swift-tools-version:6.0
//
// RouteShift: route graphs over real geographic border segments, closure and
// displacement simulation, GeoJSON export.
//
// Module layering (one direction of dependency only):
//
//   CGEOS, CPROJ                 C system libraries (GEOS thread-safe API, PROJ + geodesic.h)
//   CNLopt                       C system library (NLopt's derivative-free optimisers)
//   CMemoryHints                 cache prefetch hint for the search loops (inline C)
//   CMappedFiles                 SIGBUS guard for file mappings read in place (a file truncated while read)
//   RouteShiftCore               coordinates, errors, atomic output, id suggestions, work shards, calendar days, the parallel loop
//   RouteShiftGeoJSON            RFC 7946 model, strict decoding, streaming writer
//   RouteShiftGeodesy            PROJ: Karney geodesics on WGS84, CRS transforms
//   RouteShiftGeometry           GEOS: validity, overlay, line merge, STRtree, ...
//   RouteShiftGraph              CSR graph storage and shortest-path algorithms (pure Swift)
//   RouteShiftOptimization       NLopt: BOBYQA / COBYLA behind a Sendable Swift API
//   RouteShiftNetwork            geographic route network: loaders, geodesic A* bound, export
//   RouteShiftGeodata            derives the bundled network from public sources (borders, hubs, sea legs)
//   RouteShiftObservations       recorded data: Frontex, Eurostat, UNHCR, IOM; periods, observed demand and risk
//   RouteShiftSimulation         the model: cost, assignment, displacement, sweeps (no file formats)
//   RouteShiftScenario           scenario files in: YAML/JSON parsing, demand CSV, resolution against a network
//   RouteShiftReports            files out: simulation report files, sweep ranking
//   RouteShiftBatch              many scenarios: discovery, resumable runs, shard merge
//   RouteShiftAgents             day-by-day agent-based displacement: Flee's rules, and journeys on the cost model
//   RouteShiftCalibration        fits the cost model and logit to recorded crossings (NLopt)
//   RouteShiftMaps               SVG/PNG/HTML route maps in a PROJ projection
//   RouteShiftCommands           the `routeshift` command tree (thin layer over the above)
//   routeshift                   executable entry point
import PackageDescription

let libraryModules = [
    "RouteShiftCore", "RouteShiftGeoJSON", "RouteShiftGeodesy", "RouteShiftGeometry",
    "RouteShiftGraph", "RouteShiftNetwork", "RouteShiftGeodata", "RouteShiftObservations", "RouteShiftSimulation",
    "RouteShiftScenario", "RouteShiftReports", "RouteShiftBatch", "RouteShiftMaps", "RouteShiftOptimization",
    "RouteShiftCalibration", "RouteShiftAgents",
]

let package = Package(
    name: "RouteShift",
    products: [
        .executable(name: "routeshift", targets: ["routeshift"]),
        // Every module is its own product, so a package that only routes on a graph
        // (RouteShiftGraph, pure Swift) needs neither GEOS, PROJ nor Yams; `RouteShift` is all of them.
        .library(name: "RouteShift", targets: libraryModules),
    ] + libraryModules.map { Product.library(name: $0, targets: [$0]) },
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
        .systemLibrary(
            name: "CNLopt",
            pkgConfig: "nlopt",
            providers: [.apt(["libnlopt-dev"])]
        ),
        .target(name: "CMemoryHints"),
        .target(name: "CMappedFiles"),
        .target(name: "RouteShiftOptimization", dependencies: ["CNLopt"]),
        .target(name: "RouteShiftCore"),
        .target(name: "RouteShiftGeoJSON", dependencies: ["RouteShiftCore"]),
        .target(name: "RouteShiftGeodesy", dependencies: ["CPROJ", "RouteShiftCore"]),
        .target(name: "RouteShiftGeometry", dependencies: ["CGEOS", "RouteShiftCore", "RouteShiftGeoJSON"]),
        // Debug builds check every graph's structure once it is laid out (`_checkInvariants()`).
        .target(name: "RouteShiftGraph", dependencies: ["CMemoryHints"],
                swiftSettings: [.define("ROUTESHIFT_INTERNAL_CHECKS", .when(configuration: .debug))]),
        .target(name: "RouteShiftNetwork", dependencies: [
            "CMappedFiles", "RouteShiftCore", "RouteShiftGeoJSON", "RouteShiftGeodesy", "RouteShiftGeometry", "RouteShiftGraph",
        ]),
        .target(name: "RouteShiftGeodata", dependencies: [
            "RouteShiftNetwork", "RouteShiftGeometry", "RouteShiftGeodesy", "RouteShiftGeoJSON",
        ]),
        .target(name: "RouteShiftObservations", dependencies: [
            "RouteShiftCore", "RouteShiftGeoJSON", "RouteShiftGeodesy", "RouteShiftGeometry", "RouteShiftGraph", "RouteShiftNetwork",
        ]),
        .target(name: "RouteShiftSimulation", dependencies: ["RouteShiftNetwork", "RouteShiftObservations"]),
        .target(name: "RouteShiftScenario", dependencies: [
            "RouteShiftSimulation", "RouteShiftObservations",
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "RouteShiftAgents", dependencies: [
            "RouteShiftCore", "RouteShiftGeoJSON", "RouteShiftGraph", "RouteShiftNetwork", "RouteShiftObservations",
            "RouteShiftSimulation", "RouteShiftScenario",
        ]),
        .target(name: "RouteShiftReports", dependencies: ["RouteShiftSimulation", "RouteShiftObservations"]),
        .target(name: "RouteShiftBatch", dependencies: ["RouteShiftScenario", "RouteShiftReports", "RouteShiftObservations"]),
        .target(name: "RouteShiftCalibration", dependencies: [
            "RouteShiftCore", "RouteShiftGeoJSON", "RouteShiftNetwork", "RouteShiftSimulation", "RouteShiftScenario",
            "RouteShiftObservations",
            "RouteShiftOptimization", .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "RouteShiftMaps", dependencies: [
            "RouteShiftNetwork", "RouteShiftGeodesy", "RouteShiftGeoJSON", "RouteShiftGeometry",
        ]),
        .target(name: "RouteShiftCommands", dependencies: [
            "CMappedFiles", "RouteShiftNetwork", "RouteShiftGeodata", "RouteShiftObservations", "RouteShiftSimulation", "RouteShiftScenario",
            "RouteShiftReports", "RouteShiftBatch", "RouteShiftMaps", "RouteShiftCalibration",
            "RouteShiftAgents",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Yams", package: "Yams"),
        ]),
        .executableTarget(name: "routeshift", dependencies: ["RouteShiftCommands"]),
        // Clock, peak memory and options shared by the benchmark executables; not part of any product.
        .target(name: "RouteShiftBenchHarness", path: "Benchmarks/Harness"),
        .executableTarget(name: "routeshift-bench", dependencies: ["RouteShiftNetwork", "RouteShiftGraph", "RouteShiftBenchHarness"],
                          path: "Benchmarks/RouteShiftBench"),
        // libFuzzer targets for the input parsers (scripts/fuzz.sh); built plainly it replays files.
        .executableTarget(name: "routeshift-fuzz", dependencies: ["RouteShiftNetwork", "RouteShiftScenario", "RouteShiftGeoJSON", "RouteShiftGraph"],
                          path: "Fuzz/Sources"),
        .executableTarget(name: "routeshift-agents-bench", dependencies: ["RouteShiftAgents", "RouteShiftNetwork", "RouteShiftBenchHarness"],
                          path: "Benchmarks/AgentsBench"),
        .executableTarget(name: "routeshift-attributes-bench", dependencies: ["RouteShiftNetwork", "RouteShiftCore", "RouteShiftBenchHarness"],
                          path: "Benchmarks/AttributesBench"),
        .executableTarget(name: "routeshift-calibration-bench",
                          dependencies: ["RouteShiftCalibration", "RouteShiftSimulation", "RouteShiftObservations", "RouteShiftNetwork",
                                         "RouteShiftCore", "RouteShiftBenchHarness"],
                          path: "Benchmarks/CalibrationBench"),

        // Shared by the test targets (fixed-seed random numbers, the source tree, child processes); not part of any product.
        .target(name: "RouteShiftTestSupport", path: "Tests/RouteShiftTestSupport"),
        .testTarget(name: "RouteShiftCoreTests", dependencies: ["RouteShiftCore", "RouteShiftTestSupport"]),
        .testTarget(name: "RouteShiftGeoJSONTests", dependencies: ["RouteShiftGeoJSON", "RouteShiftTestSupport"]),
        .testTarget(name: "RouteShiftGeodesyTests", dependencies: ["RouteShiftGeodesy"]),
        .testTarget(name: "RouteShiftGeometryTests", dependencies: ["RouteShiftGeometry", "RouteShiftTestSupport"]),
        .testTarget(name: "RouteShiftOptimizationTests", dependencies: ["RouteShiftOptimization"]),
        .testTarget(name: "RouteShiftGraphTests", dependencies: ["RouteShiftGraph", "RouteShiftTestSupport"]),
        .testTarget(name: "RouteShiftNetworkTests", dependencies: ["RouteShiftNetwork", "RouteShiftTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RouteShiftGeodataTests", dependencies: ["RouteShiftGeodata", "RouteShiftTestSupport"], resources: [.copy("Fixtures")]),
        // The Balkan fixture network and the observation fixture, with scenario helpers, for the test
        // targets from the model up; not part of any product.
        .target(name: "RouteShiftScenarioFixtures", dependencies: [
            "RouteShiftSimulation", "RouteShiftScenario", "RouteShiftObservations", "RouteShiftNetwork",
        ], path: "Tests/RouteShiftScenarioFixtures", resources: [.copy("Fixtures")]),
        .testTarget(name: "RouteShiftSimulationTests", dependencies: [
            "RouteShiftSimulation", "RouteShiftScenarioFixtures", "RouteShiftReports", "RouteShiftTestSupport",
        ]),
        .testTarget(name: "RouteShiftScenarioTests", dependencies: ["RouteShiftScenario", "RouteShiftScenarioFixtures", "RouteShiftReports", "RouteShiftTestSupport"]),
        // Fixtures/golden is read and rewritten through the source tree, not copied as a resource.
        .testTarget(name: "RouteShiftReportsTests", dependencies: ["RouteShiftReports", "RouteShiftScenarioFixtures", "RouteShiftTestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "RouteShiftBatchTests", dependencies: ["RouteShiftBatch", "RouteShiftTestSupport"]),
        .testTarget(name: "RouteShiftObservationsTests", dependencies: ["RouteShiftObservations", "RouteShiftTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RouteShiftCalibrationTests", dependencies: ["RouteShiftCalibration", "RouteShiftTestSupport",
                                                                      "RouteShiftScenarioFixtures"]),
        .testTarget(name: "RouteShiftMapsTests", dependencies: ["RouteShiftMaps", "RouteShiftTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RouteShiftAgentsTests", dependencies: ["RouteShiftAgents", "RouteShiftSimulation", "RouteShiftScenario",
                                                                 "RouteShiftTestSupport"]),
        .testTarget(name: "RouteShiftCLITests", dependencies: ["RouteShiftCommands", "routeshift", "routeshift-fuzz",
                                                              "RouteShiftTestSupport"]),
        // Builds the packages of Examples/library-use, which depend on RouteShift's products as
        // another package would: it links no module of this package itself.
        .testTarget(name: "RouteShiftLibraryUseTests", dependencies: ["RouteShiftTestSupport"]),
    ]
)
