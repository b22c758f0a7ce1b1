import Foundation

/// Everything known about one restaurant, from its data files.
public struct RestaurantProfile: Sendable {
    public var name: String
    public var address: String?
    public var phone: String?
    public var timeZone: TimeZone
    /// The language callers speak (BCP 47), for the prompt variables' wording.
    public var language: String
    /// ISO 4217 code.
    public var currency: String
    public var tax: TaxRate
    public var hours: OpeningHours
    public var ordering: OrderingSettings
    public var specials: [Special]
    /// Nil when the restaurant takes no reservations by phone.
    public var reservations: ReservationSettings?
    public var menu: Menu

    public var calendar: RestaurantCalendar { RestaurantCalendar(timeZone: timeZone) }
}

/// Pickup, delivery and kitchen timing.
public struct OrderingSettings: Sendable {
    public var pickup: Bool
    /// Nil when the restaurant does not deliver.
    public var delivery: DeliverySettings?
    /// Extra minutes each confirmed order still in the kitchen adds to a new order's ready time.
    public var minutesPerQueuedOrder: Int

    public init(pickup: Bool, delivery: DeliverySettings?, minutesPerQueuedOrder: Int) {
        self.pickup = pickup
        self.delivery = delivery
        self.minutesPerQueuedOrder = minutesPerQueuedOrder
    }
}

/// Where and on what terms the restaurant delivers.
public struct DeliverySettings: Sendable {
    public var postcodes: [String]
    public var minimumOrder: Money
    public var fee: Money
    /// Driving minutes added to the kitchen time.
    public var minutes: Int

    public init(postcodes: [String], minimumOrder: Money, fee: Money, minutes: Int) {
        self.postcodes = postcodes
        self.minimumOrder = minimumOrder
        self.fee = fee
        self.minutes = minutes
    }
}

/// A dish of the day: a menu item with a note, on some weekdays or every day.
public struct Special: Sendable {
    public var itemID: String
    public var note: String?
    /// Weekdays (0 = Monday) it is offered; empty means every day.
    public var weekdays: Set<Int>

    public init(itemID: String, note: String?, weekdays: Set<Int>) {
        self.itemID = itemID
        self.note = note
        self.weekdays = weekdays
    }
}

/// How tables are booked.
public struct ReservationSettings: Sendable {
    /// What limits bookings at one time.
    public enum Capacity: Sendable {
        /// Named tables; a party gets the smallest free table that seats it.
        case tables([Table])
        /// A number of seats shared by all bookings that overlap.
        case seats(Int)
    }

    public var capacity: Capacity
    /// Bookable start times are multiples of this many minutes after midnight.
    public var slotMinutes: Int
    /// How long a booking holds its table (or seats).
    public var durationMinutes: Int
    public var maxPartySize: Int
    /// Bookings must start at least this many minutes from now.
    public var leadMinutes: Int
    /// Bookings may start at most this many days ahead.
    public var horizonDays: Int
    /// The last booking starts this many minutes before closing.
    public var lastSeatingMinutes: Int

    public init(
        capacity: Capacity, slotMinutes: Int, durationMinutes: Int, maxPartySize: Int, leadMinutes: Int, horizonDays: Int,
        lastSeatingMinutes: Int
    ) {
        self.capacity = capacity
        self.slotMinutes = slotMinutes
        self.durationMinutes = durationMinutes
        self.maxPartySize = maxPartySize
        self.leadMinutes = leadMinutes
        self.horizonDays = horizonDays
        self.lastSeatingMinutes = lastSeatingMinutes
    }
}

/// A table and how many it seats.
public struct Table: Sendable, Hashable {
    public var id: String
    public var seats: Int

    public init(id: String, seats: Int) {
        self.id = id
        self.seats = seats
    }
}
