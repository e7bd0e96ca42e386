// swift-tools-version:6.0
//
// A package outside RouteShift that uses only its pure-Swift graph product:
// no GEOS, PROJ or Yams is needed to build it.
import PackageDescription

let package = Package(
    name: "graph-routing",
    dependencies: [.package(name: "RouteShift", path: "../../..")],
    targets: [
        .executableTarget(name: "graph-routing", dependencies: [
            .product(name: "RouteShiftGraph", package: "RouteShift"),
        ]),
    ]
)
