/// The parameters of the Flee rule set (Flee's `SimulationSettings`), with Flee's names
/// in the comments. Reading them from `simsetting.yml` is the scenario layer's job.
public struct FleeSettings: Hashable, Sendable {
    // move_rules
    /// max_move_speed: km per day on a link.
    public var maxMoveSpeed = 360.0
    /// max_walk_speed: km per day on foot (the first link with `startOnFoot`).
    public var maxWalkSpeed = 35.0
    /// start_on_foot: the first link of a journey is walked.
    public var startOnFoot = false
    /// foreign_weight, camp_weight, conflict_weight: location score multipliers.
    public var foreignWeight = 1.0
    public var campWeight = 1.0
    public var conflictWeight = 1.0 / 3.16227766017
    /// conflict_movechance, camp_movechance, idpcamp_movechance, default_movechance.
    public var conflictMoveChance = 1.0
    public var campMoveChance = 0.001
    public var idpCampMoveChance = 0.1
    public var defaultMoveChance = 0.3
    /// awareness_level: how many links ahead (markers not counted) destinations are weighed.
    public var awarenessLevel = 1
    /// capacity_buffer: occupancy share above which a camp's attractiveness falls linearly to 0 at capacity.
    public var capacityBuffer = 0.9
    /// capacity_scaling: multiplier on the capacities of locations.csv.
    public var capacityScaling = 1.0
    /// softening: km added to every route length.
    public var distanceSoftening = 10.0
    /// weight_softening, weight_power, distance_power.
    public var weightSoftening = 0.0
    public var weightPower = 1.0
    public var distancePower = 1.0
    /// pruning_threshold: routes lighter than (heaviest / threshold) are dropped; ≤ 1.001 disables.
    public var pruningThreshold = 1.0
    /// movechance_pop_base, movechance_pop_scale_factor: move chance × (max(pop, capacity) / base)^factor.
    public var moveChancePopBase = 10_000.0
    public var moveChancePopScaleFactor = 0.0
    /// use_pop_for_loc_weight, pop_power_for_loc_weight: non-camp scores × max(1, pop)^power.
    public var usePopForLocationWeight = false
    public var popPowerForLocationWeight = 0.1

    // spawn_rules
    /// take_from_population: spawned people are taken from the location's population.
    public var takeFromPopulation = false
    /// insert_day0: camps start with their day-0 registrations.
    public var insertDayZeroRefugeesInCamps = true
    /// empty_camps_on_day0: camps start empty and day-0 registrations are subtracted from the data.
    public var emptyCampsOnDay0 = false
    /// sum_from_camps: daily spawning follows the sum of the camp series (else the total series).
    public var sumFromCamps = true
    /// conflict_driven_spawning: conflicts spawn people directly instead of the validation totals.
    public var conflictSpawning: ConflictSpawning? = nil
    /// conflict_spawn_decay (+ _interval, days): multiplier on spawning and conflict score by time since onset.
    public var conflictSpawnDecay: [Double]? = nil
    public var conflictSpawnDecayInterval = 30

    // optimisations
    /// hasten: populations, capacities and registrations divided by this factor.
    public var populationScaleDownFactor = 1

    public struct ConflictSpawning: Hashable, Sendable {
        public enum Mode: String, Sendable, CaseIterable { case constant, poisson, popRatio = "pop_ratio" }
        public var mode: Mode
        /// displaced_per_conflict_day: people (constant, poisson) or population share (pop_ratio).
        public var displacedPerConflictDay: Double
        public init(mode: Mode, displacedPerConflictDay: Double) {
            self.mode = mode; self.displacedPerConflictDay = displacedPerConflictDay
        }
    }

    /// Flee's code defaults (what a `simsetting.yml` without a key gets).
    public init() {}

    /// The values of Flee's own `flee/simsetting.yml` at the reference commit (its
    /// code defaults except conflict_weight 0.25): what `routeshift agents` uses
    /// without `--settings`.
    public static var reference: FleeSettings {
        var s = FleeSettings()
        s.conflictWeight = 0.25
        return s
    }

    /// Conflict decay multiplier `days` after a conflict began (Flee's `get_conflict_decay`).
    func conflictDecay(daysSinceConflict days: Int) -> Double {
        guard let decay = conflictSpawnDecay, !decay.isEmpty else { return 1 }
        let i = min(max(days, 0) / max(conflictSpawnDecayInterval, 1), decay.count - 1)
        return decay[i]
    }
}
