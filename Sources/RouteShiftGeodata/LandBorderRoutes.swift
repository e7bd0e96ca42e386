import RouteShiftNetwork

/// The public route label of a land border, after the route names of Frontex's
/// risk analyses (Frontex, *Risk Analysis for 2024/2025*, "migratory routes").
///
/// Rules, first match wins:
/// 1. `AL-GR` → Circular Albania–Greece.
/// 2. A pair with a Western Balkan country (AL, BA, ME, MK, RS, XK), or one of the
///    corridor's onward borders towards Austria (AT-HU, AT-SI, HR-HU, HR-SI) → Western Balkans.
/// 3. `GR-TR`, `BG-TR`, `BG-GR`, `CY`'s borders → Eastern Mediterranean.
/// 4. A European country's land border with BY, MD, RU or UA → Eastern Land Borders.
/// 5. `ES-MA`, `ES-GI`, `DZ-MA` → Western Mediterranean.
/// 6. Otherwise by region of the pair (Natural Earth `SUBREGION`): a pair touching
///    Northern Africa east of Morocco, Middle or Eastern Africa, or the Sahel
///    (NE, ML, TD, BF) → Central Mediterranean (the feeder routes towards Libya
///    and Tunisia); the rest of Western Africa, Morocco, Western Sahara →
///    Western African; Western, Southern and Central Asia → Eastern
///    Mediterranean (feeders through Iran and Turkey); Eastern Europe and the
///    Caucasus outside the EU → Eastern Land Borders; remaining borders inside
///    Europe → none (`nil`: secondary movements, no external-border route).
public enum LandBorderRoutes {
    static let westernBalkans: Set<String> = ["AL", "BA", "ME", "MK", "RS", "XK"]
    static let balkanCorridorOnward: Set<BorderPair> = [
        BorderPair("AT", "HU"), BorderPair("AT", "SI"), BorderPair("HR", "HU"), BorderPair("HR", "SI"),
    ]
    static let easternMediterranean: Set<BorderPair> = [BorderPair("GR", "TR"), BorderPair("BG", "TR"), BorderPair("BG", "GR")]
    static let easternNeighbours: Set<String> = ["BY", "MD", "RU", "UA"]
    static let westernMediterranean: Set<BorderPair> = [BorderPair("ES", "MA"), BorderPair("ES", "GI"), BorderPair("DZ", "MA")]
    static let sahel: Set<String> = ["NE", "ML", "TD", "BF"]
    static let atlanticNorthAfrica: Set<String> = ["MA", "EH"]

    /// The route label of the border `pair`; `subregion` gives a country's UN subregion.
    /// - Complexity: O(1).
    public static func label(for pair: BorderPair, subregion: (String) -> String) -> RouteLabel? {
        if pair == BorderPair("AL", "GR") { return .circularAlbaniaGreece }
        if westernBalkans.contains(pair.first) || westernBalkans.contains(pair.second)
            || balkanCorridorOnward.contains(pair) { return .westernBalkans }
        if easternMediterranean.contains(pair) || pair.contains("CY") { return .easternMediterranean }
        if let inner = [pair.first, pair.second].first(where: { !easternNeighbours.contains($0) }),
           easternNeighbours.contains(inner == pair.first ? pair.second : pair.first),
           subregion(inner).hasSuffix("Europe") { return .easternLandBorders }
        if westernMediterranean.contains(pair) { return .westernMediterranean }

        let regions = [subregion(pair.first), subregion(pair.second)]
        let codes = [pair.first, pair.second]
        if codes.contains(where: sahel.contains) { return .centralMediterranean }
        if codes.contains(where: { subregion($0) == "Northern Africa" && !atlanticNorthAfrica.contains($0) }) {
            return .centralMediterranean
        }
        if regions.contains("Middle Africa") || regions.contains("Eastern Africa") { return .centralMediterranean }
        if regions.contains("Western Africa") || codes.contains(where: atlanticNorthAfrica.contains) { return .westernAfrican }
        if regions.contains(where: { $0.hasSuffix("Asia") }) { return .easternMediterranean }
        if codes.contains(where: easternNeighbours.contains) { return .easternLandBorders }
        return nil
    }
}
