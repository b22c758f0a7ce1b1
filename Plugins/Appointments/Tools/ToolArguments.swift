import Foundation
import PluginAPI

/// Reads tool arguments under our names and the seed's (`customer_name`, `service_id`, `start_time`, …).
struct ToolArguments {
    let values: [String: JSONValue]

    init(_ arguments: JSONValue) { values = arguments.objectValue ?? [:] }

    /// The first non-empty string among `keys` (numbers are accepted as text).
    func string(_ keys: String...) -> String? {
        for key in keys {
            switch values[key] {
            case .string(let text) where !text.trimmingCharacters(in: .whitespaces).isEmpty:
                return text.trimmingCharacters(in: .whitespaces)
            case .int(let number): return String(number)
            default: continue
            }
        }
        return nil
    }

    func int(_ keys: String...) -> Int? {
        for key in keys {
            if let number = values[key]?.intValue { return number }
            if let text = values[key]?.stringValue, let number = Int(text) { return number }
        }
        return nil
    }

    var name: String? { string("name", "customer_name") }
    var phone: String? { string("phone", "customer_phone") }
    var email: String? { string("email", "customer_email") }
    var service: String? { string("service", "service_id") }
    var staff: String? { string("staff", "staff_id") }
    /// When: a phrase ("morgen um halb drei") or an ISO date-time.
    var when: String? { string("slot", "start_time", "date_time", "when", "datetime", "date") }
    var appointmentID: String? { string("appointment_id", "booking_id", "id") }
}

/// Phone numbers as callers give them, stored as E.164.
enum PhoneNumber {
    /// `0170 1234567` → `+491701234567`, `0049 30 …` → `+4930…`, `+49 (0) 30 …` → `+4930…`; `nil` when
    /// it holds too few digits to be a number.
    static func e164(_ text: String, defaultCountry: String = "49") -> String? {
        var digits = ""
        var plus = false
        for character in text.replacingOccurrences(of: "(0)", with: "") {
            if character == "+", digits.isEmpty { plus = true }
            if character.isASCII, character.isNumber { digits.append(character) }
        }
        if !plus {
            if digits.hasPrefix("00") {
                digits.removeFirst(2)
            } else if digits.hasPrefix("0") {
                digits = defaultCountry + digits.dropFirst()
            }
        }
        guard (7...15).contains(digits.count) else { return nil }
        return "+" + digits
    }
}

/// A date-time a tool was given, either an exact instant or a caller's phrase.
enum RequestedTime {
    /// `2026-03-03T14:30:00+01:00`, `2026-03-03T13:30:00Z`, or a wall time `2026-03-03T14:30` / `2026-03-03 14:30`.
    static func exact(_ text: String, timeZone: TimeZone) -> Date? {
        if let instant = ISO8601.parse(text) { return instant }
        let normalized = text.replacingOccurrences(of: " ", with: "T")
        let parts = normalized.split(separator: "T")
        guard parts.count == 2, let date = LocalDate(iso: String(parts[0])), let time = LocalTime(text: String(parts[1].prefix(5))) else { return nil }
        return date.instant(atMinute: time.minutes, in: timeZone)
    }
}
