extension PlanReport {
    /// The supervision figures of SPEC §10 as a figure report carries them: the released persons under supervision on
    /// one day (`on`) and, of them, how many are in each situation, each with its share of those under supervision.
    /// Built from `SupervisionFigures`, which holds the rules; nothing is counted here.
    public struct SupervisionReport: Sendable, Codable, Equatable {
        /// The situations counted among the persons under supervision, in the JSON's order, named as the JSON names
        /// them.
        public enum Kind: String, Sendable, CaseIterable {
            /// Reported in to the unit responsible on the day.
            case reportedIn = "reported_in"
            /// Reported in, and the last contact (or the reporting in) is within the contact interval.
            case contactsOnTime = "contacts_on_time"
            /// Not reported in more than 5 days after the release, or after the transfer to this unit.
            case arrivalOverdue = "arrival_overdue"
            /// Recorded as whereabouts unknown and not located since.
            case whereaboutsUnknown = "whereabouts_unknown"
            /// With a wanted case open on the day.
            case wantedOpen = "wanted_open"
        }

        /// A count among the persons under supervision and its share of them.
        public struct Part: Sendable, Codable, Equatable {
            /// The persons in the situation.
            public var count: Int
            /// `count / supervised`, unrounded; `nil` when nobody is under supervision.
            public var share: Double?

            /// The count and its share of `supervised`.
            public init(_ count: Int, of supervised: Int) {
                self.count = count
                self.share = supervised == 0 ? nil : Double(count) / Double(supervised)
            }

            enum CodingKeys: String, CodingKey {
                case count, share
            }

            /// Reads `{"count": …, "share": …}`.
            public init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                count = try c.decode(Int.self, forKey: .count)
                share = try c.decodeIfPresent(Double.self, forKey: .share)
            }

            /// Writes `count`, then `share` (`null` when there is none).
            public func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(count, forKey: .count)
                try c.encodeOrNull(share, forKey: .share)
            }
        }

        /// The day counted on: the period's last day, or the day the facts were observed when the period is not
        /// over by then (`Period.supervisionDay(observedOn:)`).
        public var on: LocalDate
        /// Open release cases on `on` whose responsible unit that day is counted here: every share's denominator.
        public var supervised: Int
        /// Reported in to the unit responsible on `on`.
        public var reportedIn: Part
        /// Reported in and not `contact_overdue`.
        public var contactsOnTime: Part
        /// `arrival_overdue` on `on`.
        public var arrivalOverdue: Part
        /// Whereabouts unknown on `on`.
        public var whereaboutsUnknown: Part
        /// With a wanted case open on `on`.
        public var wantedOpen: Part

        /// The figures of `figures`, counted on `day`.
        public init(_ figures: SupervisionFigures, on day: LocalDate) {
            let n = figures.supervised
            self.on = day
            self.supervised = n
            self.reportedIn = Part(figures.reportedIn, of: n)
            self.contactsOnTime = Part(figures.contactsOnTime, of: n)
            self.arrivalOverdue = Part(figures.arrivalOverdue, of: n)
            self.whereaboutsUnknown = Part(figures.whereaboutsUnknown, of: n)
            self.wantedOpen = Part(figures.wantedOpen, of: n)
        }

        /// The count and share of one situation.
        public subscript(kind: Kind) -> Part {
            switch kind {
            case .reportedIn: reportedIn
            case .contactsOnTime: contactsOnTime
            case .arrivalOverdue: arrivalOverdue
            case .whereaboutsUnknown: whereaboutsUnknown
            case .wantedOpen: wantedOpen
            }
        }

        enum CodingKeys: String, CodingKey {
            case on, supervised
            case reportedIn = "reported_in"
            case contactsOnTime = "contacts_on_time"
            case arrivalOverdue = "arrival_overdue"
            case whereaboutsUnknown = "whereabouts_unknown"
            case wantedOpen = "wanted_open"
        }

        /// Writes `on`, `supervised`, then each situation in `Kind`'s order.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(on, forKey: .on)
            try c.encode(supervised, forKey: .supervised)
            try c.encode(reportedIn, forKey: .reportedIn)
            try c.encode(contactsOnTime, forKey: .contactsOnTime)
            try c.encode(arrivalOverdue, forKey: .arrivalOverdue)
            try c.encode(whereaboutsUnknown, forKey: .whereaboutsUnknown)
            try c.encode(wantedOpen, forKey: .wantedOpen)
        }
    }
}
