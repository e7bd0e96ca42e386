import Foundation
import RouteShiftAgents
import RouteShiftCore
import Yams

/// Reads Flee's `simsetting.yml` into `FleeSettings`, key by key as Flee's
/// `SimulationSettings.ReadFromYML` does (a missing key keeps Flee's code default).
///
/// Keys of Flee features the Flee rule set here does not model are refused when they
/// switch the feature on, naming the YAML path; `log_levels` is ignored.
enum FleeSettingsFile {
    static func read(path: String) throws -> FleeSettings {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MissingInputError(message: "\(path): cannot read the settings file")
        }
        let root: Any?
        do {
            root = try Yams.load(yaml: String(decoding: data, as: UTF8.self))
        } catch {
            throw InputError("not valid YAML: \(error)", at: InputLocation(file: path))
        }
        var s = FleeSettings()
        guard let top = root as? [String: Any] else {
            if root == nil { return s }
            throw InputError("expected a mapping at the top level", at: InputLocation(file: path, path: "$"))
        }
        func section(_ name: String) throws -> [String: Any] {
            guard let value = top[name], !(value is NSNull) else { return [:] }
            guard let map = value as? [String: Any] else {
                throw InputError("expected a mapping", at: InputLocation(file: path, path: name))
            }
            return map
        }
        func number(_ map: [String: Any], _ section: String, _ key: String) throws -> Double? {
            guard let v = map[key] else { return nil }
            if let d = v as? Double { return d }
            if let i = v as? Int { return Double(i) }
            if let s = v as? String, let d = Double(s) { return d }
            throw InputError("'\(v)' is not a number", at: InputLocation(file: path, path: "\(section).\(key)"))
        }
        func flag(_ map: [String: Any], _ section: String, _ key: String) throws -> Bool? {
            guard let v = map[key] else { return nil }
            if let b = v as? Bool { return b }
            if let i = v as? Int { return i != 0 }
            throw InputError("'\(v)' is not true or false", at: InputLocation(file: path, path: "\(section).\(key)"))
        }
        func unsupported(_ map: [String: Any], _ section: String, _ keys: [String]) throws {
            for key in keys {
                guard let v = map[key] else { continue }
                let on: Bool
                switch v {
                case let b as Bool: on = b
                case let i as Int: on = i != 0
                case let a as [Any]: on = !a.isEmpty
                case is NSNull: on = false
                default: on = true
                }
                if on {
                    throw InputError("'\(key)' is a Flee feature that RouteShift's Flee rule set does not model",
                                     at: InputLocation(file: path, path: "\(section).\(key)"))
                }
            }
        }

        let move = try section("move_rules")
        let m = "move_rules"
        if let v = try number(move, m, "max_move_speed") { s.maxMoveSpeed = v }
        if let v = try number(move, m, "max_walk_speed") { s.maxWalkSpeed = v }
        if let v = try flag(move, m, "start_on_foot") { s.startOnFoot = v }
        if let v = try number(move, m, "foreign_weight") { s.foreignWeight = v }
        if let v = try number(move, m, "camp_weight") { s.campWeight = v }
        if let v = try number(move, m, "conflict_weight") { s.conflictWeight = v }
        if let v = try number(move, m, "conflict_movechance") { s.conflictMoveChance = v }
        if let v = try number(move, m, "camp_movechance") { s.campMoveChance = v }
        if let v = try number(move, m, "idpcamp_movechance") { s.idpCampMoveChance = v }
        if let v = try number(move, m, "default_movechance") { s.defaultMoveChance = v }
        if let v = try number(move, m, "awareness_level") {
            guard v >= 1, v == v.rounded() else {
                throw InputError("awareness_level must be a whole number ≥ 1", at: InputLocation(file: path, path: "move_rules.awareness_level"))
            }
            s.awarenessLevel = Int(v)
        }
        if let v = try number(move, m, "capacity_buffer") { s.capacityBuffer = v }
        if let v = try number(move, m, "capacity_scaling") { s.capacityScaling = v }
        if let v = try number(move, m, "softening") { s.distanceSoftening = v }
        if let v = try number(move, m, "weight_softening") { s.weightSoftening = v }
        if let v = try number(move, m, "weight_power") { s.weightPower = v }
        if let v = try number(move, m, "distance_power") { s.distancePower = v }
        if let v = try number(move, m, "pruning_threshold") { s.pruningThreshold = v }
        if let v = try number(move, m, "movechance_pop_base") { s.moveChancePopBase = v }
        if let v = try number(move, m, "movechance_pop_scale_factor") { s.moveChancePopScaleFactor = v }
        if let v = try flag(move, m, "use_pop_for_loc_weight") { s.usePopForLocationWeight = v }
        if let v = try number(move, m, "pop_power_for_loc_weight") { s.popPowerForLocationWeight = v }
        try unsupported(move, m, ["avoid_short_stints", "use_v1_rules", "stay_close_to_home", "fixed_routes",
                                  "two_system_decision_making", "use_economic_pull", "harvest_months", "flee_when_starving",
                                  "avoid_food_deprived_locations", "flood_rules", "WomenAvoidHazards", "ChildrenAvoidHazards",
                                  "ElderlyAvoidHazards", "BoysTakeRisk", "MatchCampReligion", "MatchCampEthnicity",
                                  "MatchTownEthnicity", "MatchConflictEthnicity"])

        let spawn = try section("spawn_rules")
        let sp = "spawn_rules"
        if let v = try flag(spawn, sp, "take_from_population") { s.takeFromPopulation = v }
        if let v = try flag(spawn, sp, "insert_day0") { s.insertDayZeroRefugeesInCamps = v }
        if let v = try flag(spawn, sp, "sum_from_camps") { s.sumFromCamps = v }
        if let v = try number(spawn, sp, "conflict_spawn_decay_interval") { s.conflictSpawnDecayInterval = max(1, Int(v)) }
        if let v = spawn["conflict_spawn_decay"], !(v is NSNull) {
            guard let list = v as? [Any] else {
                throw InputError("expected a list of multipliers", at: InputLocation(file: path, path: "spawn_rules.conflict_spawn_decay"))
            }
            s.conflictSpawnDecay = try list.enumerated().map { i, x in
                if let d = x as? Double { return d }
                if let n = x as? Int { return Double(n) }
                throw InputError("'\(x)' is not a number", at: InputLocation(file: path, path: "spawn_rules.conflict_spawn_decay[\(i)]"))
            }
        }
        if let v = spawn["conflict_driven_spawning"], !(v is NSNull) {
            let map = v as? [String: Any] ?? [:]
            let modeText = (map["spawn_mode"] as? String) ?? "constant"
            let mode: FleeSettings.ConflictSpawning.Mode
            switch modeText.lowercased() {
            case "constant": mode = .constant
            case "poisson": mode = .poisson
            case "pop_ratio": mode = .popRatio
            default:
                throw InputError("unknown spawn_mode '\(modeText)'", at: InputLocation(file: path, path: "spawn_rules.conflict_driven_spawning.spawn_mode"),
                                 suggestions: NearestMatch.suggestions(for: modeText, among: ["constant", "poisson", "pop_ratio"]))
            }
            let perDay = try number(map, "spawn_rules.conflict_driven_spawning", "displaced_per_conflict_day")
                ?? (mode == .popRatio ? 0.01 : 500)
            s.conflictSpawning = .init(mode: mode, displacedPerConflictDay: mode == .popRatio ? perDay : perDay.rounded(.towardZero))
        }
        try unsupported(spawn, sp, ["empty_camps_on_day0", "flood_zone_spawning_only", "camps_are_sicks",
                                    "read_from_agents_csv_file", "starvation_driven_spawning", "flood_driven_spawn_mode"])

        let optimisations = try section("optimisations")
        if let v = try number(optimisations, "optimisations", "hasten") {
            guard v >= 1 else { throw InputError("hasten must be at least 1", at: InputLocation(file: path, path: "optimisations.hasten")) }
            s.populationScaleDownFactor = Int(v)
        }
        return s
    }
}
