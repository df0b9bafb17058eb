import Foundation

extension PlanMetrics {
    /// What the supervision figures of a report need besides the facts: the day they are counted on and the contact
    /// intervals in force (those set in the database the report is computed on).
    public struct SupervisionQuery: Sendable, Hashable {
        /// The day counted on (`Period.supervisionDay(observedOn:)`).
        public var on: LocalDate
        /// The contact intervals of each unit.
        public var intervals: IntervalBook

        /// The query for `day` with `intervals`.
        public init(on day: LocalDate, intervals: IntervalBook = IntervalBook()) {
            self.on = day
            self.intervals = intervals
        }
    }
}
