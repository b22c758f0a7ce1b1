import Foundation
import PluginAPI

/// Reads a business from its YAML data files, collecting every problem with its file, line and key.
///
/// `business.yaml`: `name`, `timezone` (default Europe/Berlin), `state` (Bundesland, e.g. `BY`), `phone`,
/// `address`, `opening_hours` (weekday → `"08:00-12:00"`, a list of those, or `closed`), `closed_days`
/// (`2026-12-24` or `{from, to, reason}`), and optionally `services` and `staff` (or in files of their own).
struct BusinessLoader {
    private(set) var issues: [ConfigIssue] = []

    static let weekdayKeys: [String: Int] = [
        "monday": 1, "montag": 1, "mo": 1, "mon": 1, "tuesday": 2, "dienstag": 2, "di": 2, "tue": 2,
        "wednesday": 3, "mittwoch": 3, "mi": 3, "wed": 3, "thursday": 4, "donnerstag": 4, "do": 4, "thu": 4,
        "friday": 5, "freitag": 5, "fr": 5, "fri": 5, "saturday": 6, "samstag": 6, "sa": 6, "sat": 6,
        "sunday": 7, "sonntag": 7, "so": 7, "sun": 7,
    ]

    /// Builds the business from `businessNode` plus optional separate `servicesNode` / `staffNode` files.
    mutating func load(business businessNode: ConfigNode, services servicesNode: ConfigNode?, staff staffNode: ConfigNode?, timeZoneOverride: TimeZone?) -> Business? {
        var reader = ConfigReader(businessNode)
        let name = reader.string("name")
        let zoneName = reader.string("timezone", default: "Europe/Berlin") ?? "Europe/Berlin"
        var timeZone = timeZoneOverride ?? TimeZone(identifier: "Europe/Berlin")!
        if timeZoneOverride == nil {
            if let zone = TimeZone(identifier: zoneName) { timeZone = zone } else {
                reader.report("unknown IANA timezone '\(zoneName)' (e.g. Europe/Berlin)", at: reader.node("timezone"))
            }
        }
        var state = reader.string("state", default: nil)?.uppercased()
        if let code = state, !GermanHoliday.states.contains(code) {
            reader.report("unknown Bundesland '\(code)' (one of \(GermanHoliday.states.joined(separator: ", ")))" + ConfigReader.suggestion(for: code, among: GermanHoliday.states), at: reader.node("state"))
            state = nil
        }
        let phone = reader.string("phone", default: nil)
        let address = reader.string("address", default: nil)
        var hours = WeeklyHours(days: [:])
        if let node = reader.node("opening_hours") {
            hours = weeklyHours(node) ?? hours
        } else {
            reader.report("missing required key 'opening_hours' (weekday → \"08:00-12:00\" or closed)")
        }
        let closed = reader.node("closed_days").map { periods($0) } ?? []
        let servicesSource = servicesNode ?? reader.node("services")
        let staffSource = staffNode ?? reader.node("staff")
        if servicesNode != nil { reader.allow("services") }
        if staffNode != nil { reader.allow("staff") }
        reader.finish()
        issues += reader.issues
        let staff = staffSource.map { self.staff(list($0, key: "staff")) } ?? []
        let services = servicesSource.map { self.services(list($0, key: "services"), staffIDs: staff.map(\.id)) } ?? []
        if servicesSource == nil || services.isEmpty {
            issues.append(ConfigIssue(node: servicesSource ?? businessNode, "no services: list at least one service (id, name, duration)"))
        }
        guard let name else { return nil }
        return Business(
            name: name, timeZone: timeZone, state: state, phone: phone, address: address, hours: hours, closed: closed,
            services: services, staff: staff)
    }

    /// The list under `key` in a file of its own (`services: [...]`), or the list itself.
    private mutating func list(_ node: ConfigNode, key: String) -> [ConfigNode] {
        if case .mapping = node.value, let inner = node[key] {
            var reader = ConfigReader(node)
            _ = reader.node(key)
            reader.finish()
            issues += reader.issues
            return list(inner, key: key)
        }
        guard case .sequence(let items) = node.value else {
            issues.append(ConfigIssue(node: node, "expected a list of \(key), got \(node.kindName)"))
            return []
        }
        return items
    }

    private mutating func services(_ items: [ConfigNode], staffIDs: [String]) -> [Service] {
        var seen = Set<String>()
        return items.compactMap { item in
            var reader = ConfigReader(item)
            let id = reader.string("id")
            let name = reader.string("name")
            let synonyms = reader.strings("synonyms")
            let duration = reader.int("duration", default: nil, in: 5...600)
            if reader.node("duration") == nil { reader.report("missing required key 'duration' (minutes)") }
            let buffer = reader.int("buffer", default: 0, in: 0...240) ?? 0
            let staff = reader.strings("staff")
            for member in staff where !staffIDs.contains(member) {
                reader.report("unknown staff '\(member)'" + ConfigReader.suggestion(for: member, among: staffIDs), at: reader.node("staff"))
            }
            let eventType = reader.int("calcom_event_type_id", default: nil, in: 1...Int.max)
            reader.finish()
            if let id, !seen.insert(id).inserted { reader.report("duplicate service id '\(id)'", at: reader.node("id")) }
            issues += reader.issues
            guard let id, let name, let duration else { return nil }
            return Service(id: id, name: name, synonyms: synonyms, duration: duration, buffer: buffer, staff: staff, calcomEventTypeID: eventType)
        }
    }

    private mutating func staff(_ items: [ConfigNode]) -> [StaffMember] {
        items.compactMap { item in
            var reader = ConfigReader(item)
            let id = reader.string("id")
            let name = reader.string("name")
            let hours = reader.node("hours").flatMap { weeklyHours($0) }
            let absences = reader.node("absences").map { periods($0) } ?? []
            reader.finish()
            issues += reader.issues
            guard let id, let name else { return nil }
            return StaffMember(id: id, name: name, hours: hours, absences: absences)
        }
    }

    /// weekday → `"08:00-12:00"`, `["08:00-12:00", "14:00-18:00"]`, `"08:00-12:00, 14:00-18:00"` or `closed`.
    mutating func weeklyHours(_ node: ConfigNode) -> WeeklyHours? {
        guard case .mapping(let pairs) = node.value else {
            issues.append(ConfigIssue(node: node, "expected weekday → hours, e.g. monday: \"08:00-12:00, 14:00-18:00\", got \(node.kindName)"))
            return nil
        }
        var days: [Int: [WeeklyHours.Interval]] = [:]
        for (key, value) in pairs {
            guard let weekday = Self.weekdayKeys[key.lowercased()] else {
                issues.append(ConfigIssue(at: value.keyLocation ?? value.location, keyPath: (node.path + [key]).joined(separator: "."),
                                          "unknown weekday" + ConfigReader.suggestion(for: key, among: ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])))
                continue
            }
            var texts: [String] = []
            switch value.value {
            case .null, .bool(false): continue
            case .string(let text): texts = text.split(separator: ",").map { String($0) }
            case .sequence(let items): texts = items.compactMap { $0.json.stringValue }
            default:
                issues.append(ConfigIssue(node: value, "expected \"08:00-12:00\", a list of those, or closed"))
                continue
            }
            if texts.count == 1, ["closed", "geschlossen", "zu"].contains(texts[0].trimmingCharacters(in: .whitespaces).lowercased()) { continue }
            var intervals: [WeeklyHours.Interval] = []
            for text in texts {
                guard let interval = Self.interval(text) else {
                    issues.append(ConfigIssue(node: value, "'\(text.trimmingCharacters(in: .whitespaces))' is not a time range like 08:00-12:00"))
                    continue
                }
                intervals.append(interval)
            }
            intervals.sort { $0.start < $1.start }
            for (first, second) in zip(intervals, intervals.dropFirst()) where second.start < first.end {
                issues.append(ConfigIssue(node: value, "time ranges overlap: \(first.description) and \(second.description)"))
            }
            days[weekday] = intervals
        }
        return WeeklyHours(days: days)
    }

    /// `08:00-12:00` (also with an en dash or spaces).
    static func interval(_ text: String) -> WeeklyHours.Interval? {
        let cleaned = text.replacingOccurrences(of: "–", with: "-").replacingOccurrences(of: " ", with: "")
        let parts = cleaned.split(separator: "-")
        guard parts.count == 2, let start = LocalTime(text: String(parts[0])),
            let end = parts[1] == "24:00" ? 1440 : LocalTime(text: String(parts[1]))?.minutes,
            start.minutes < end
        else { return nil }
        return WeeklyHours.Interval(start: start.minutes, end: end)
    }

    /// `- 2026-12-24` or `- { from: 2026-08-03, to: 2026-08-14, reason: Betriebsferien }`.
    private mutating func periods(_ node: ConfigNode) -> [ClosedPeriod] {
        guard case .sequence(let items) = node.value else {
            if node.value == .null { return [] }
            issues.append(ConfigIssue(node: node, "expected a list of dates (2026-12-24) or {from, to, reason}, got \(node.kindName)"))
            return []
        }
        return items.compactMap { item in
            if let text = item.json.stringValue {
                guard let date = LocalDate(iso: text) else {
                    issues.append(ConfigIssue(node: item, "'\(text)' is not a date like 2026-12-24"))
                    return nil
                }
                return ClosedPeriod(from: date, to: date)
            }
            var reader = ConfigReader(item)
            let from = reader.string("from").flatMap { text -> LocalDate? in
                guard let date = LocalDate(iso: text) else { reader.report("'\(text)' is not a date like 2026-08-03", at: reader.node("from")); return nil }
                return date
            }
            let to = reader.string("to", default: nil).flatMap { text -> LocalDate? in
                guard let date = LocalDate(iso: text) else { reader.report("'\(text)' is not a date like 2026-08-14", at: reader.node("to")); return nil }
                return date
            }
            let reason = reader.string("reason", default: nil)
            reader.finish()
            issues += reader.issues
            guard let from else { return nil }
            if let to, to < from {
                issues.append(ConfigIssue(node: item, "'to' is before 'from'"))
                return nil
            }
            return ClosedPeriod(from: from, to: to ?? from, reason: reason)
        }
    }
}
