import Foundation

/// Who a new case is about: a person already registered, or a new one.
public enum PersonChoice: Sendable {
    case existing(UUID)
    case new(PersonDetails)
}
