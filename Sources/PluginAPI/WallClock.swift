import Foundation

/// The source of "now" for everything that depends on the date or time of day.
///
/// Injected everywhere instead of calling `Date()` so that tests, `switchboard tool --now` and replays
/// see the time they choose.
public struct WallClock: Sendable {
    private let read: @Sendable () -> Date

    /// A clock that answers `read()`.
    public init(_ read: @escaping @Sendable () -> Date) { self.read = read }

    /// The current instant.
    public func now() -> Date { read() }

    /// The system clock.
    public static let system = WallClock { Date() }

    /// A clock stopped at `instant`.
    public static func fixed(_ instant: Date) -> WallClock { WallClock { instant } }
}
