// swift-tools-version:6.0
//
// A package outside RouteShift that runs a closure simulation through the
// library products alone (no command-line types).
import PackageDescription

let package = Package(
    name: "closure-simulation",
    dependencies: [.package(name: "RouteShift", path: "../../..")],
    targets: [
        .executableTarget(name: "closure-simulation", dependencies: [
            .product(name: "RouteShiftGeoJSON", package: "RouteShift"),
            .product(name: "RouteShiftGraph", package: "RouteShift"),
            .product(name: "RouteShiftNetwork", package: "RouteShift"),
            .product(name: "RouteShiftSimulation", package: "RouteShift"),
            .product(name: "RouteShiftScenario", package: "RouteShift"),
        ]),
    ]
)
