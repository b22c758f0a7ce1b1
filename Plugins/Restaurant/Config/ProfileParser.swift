import Foundation
import PluginAPI

/// Reads the skill's settings in agents.yaml and the data files they name, reporting every problem of
/// every file at once, each located `file:line:column: key.path: message`.
///
/// Skill settings: `profile` (required, the restaurant's YAML file) and `menu` (optional, a separate
/// menu file; without it the profile holds the menu under `menu:`).
struct ProfileParser {
    private(set) var issues: [ConfigIssue] = []

    /// Builds the profile or throws ``ConfigErrors`` listing every problem.
    mutating func parse(config: ConfigNode, files: any DataFileLoading) throws(ConfigErrors) -> RestaurantProfile {
        var settings = ConfigReader(config)
        let profilePath = settings.string("profile")
        let menuPath = settings.string("menu", default: nil)
        settings.finish()
        issues += settings.issues
        let profileNode = profilePath.flatMap { load($0, files: files, from: config["profile"] ?? config) }
        let separateMenu = menuPath.flatMap { load($0, files: files, from: config["menu"] ?? config) }
        guard let profileNode else { throw ConfigErrors(issues) }
        let profile = parseProfile(profileNode, separateMenu: separateMenu, menuExpected: menuPath != nil)
        guard let profile, !issues.contains(where: { $0.severity == .error }) else { throw ConfigErrors(issues) }
        return profile
    }

    /// Loads a data file, locating a missing file at the setting that names it.
    private mutating func load(_ path: String, files: any DataFileLoading, from setting: ConfigNode) -> ConfigNode? {
        do {
            return try files.load(path)
        } catch {
            issues += error.issues.map { issue in
                guard issue.location == nil else { return issue }
                return ConfigIssue(node: setting, issue.message)
            }
            return nil
        }
    }

    private mutating func parseProfile(_ node: ConfigNode, separateMenu: ConfigNode?, menuExpected: Bool) -> RestaurantProfile? {
        var reader = ConfigReader(node)
        let name = reader.string("name")
        let address = reader.string("address", default: nil)
        let phone = reader.string("phone", default: nil)
        var timeZone: TimeZone?
        if let zoneName = reader.string("timezone") {
            timeZone = TimeZone(identifier: zoneName)
            if timeZone == nil { reader.report("unknown IANA timezone '\(zoneName)' (e.g. America/Los_Angeles, Europe/Berlin)", at: node["timezone"]) }
        }
        let language = reader.string("language", default: "en-US") ?? "en-US"
        let currency = reader.string("currency", default: "USD") ?? "USD"
        if currency.count != 3 || !currency.allSatisfy({ $0.isASCII && $0.isUppercase }) {
            reader.report("expected an ISO 4217 currency code such as USD or EUR, got '\(currency)'", at: node["currency"])
        }
        let tax = taxRate(&reader, node)
        let hours = openingHours(&reader)
        let ordering = orderingSettings(reader.node("ordering"))
        let specialNodes = reader.list("specials")
        let reservations = reader.node("reservations").flatMap { $0.value == .null ? nil : reservationSettings($0) }
        var menu: Menu?
        var menuParser = MenuParser()
        if let inline = reader.node("menu"), inline.value != .null {
            if separateMenu != nil { reader.report("the menu is given both here and in the skill's 'menu' file; keep one", at: inline) }
            menu = menuParser.parse(inline)
        } else if let separateMenu {
            menu = menuParser.parse(separateMenu)
        } else if !menuExpected {
            reader.report("missing required key 'menu' (or name a menu file in the skill's 'menu' setting)")
        }
        issues += menuParser.issues
        let specials = specialNodes.compactMap { special($0, menu: menu) }
        reader.finish()
        issues += reader.issues
        guard let name, let timeZone, let menu else { return nil }
        return RestaurantProfile(
            name: name, address: address, phone: phone, timeZone: timeZone, language: language, currency: currency, tax: tax, hours: hours,
            ordering: ordering, specials: specials, reservations: reservations, menu: menu)
    }

    private func taxRate(_ reader: inout ConfigReader, _ node: ConfigNode) -> TaxRate {
        let included = reader.bool("prices_include_tax", default: false)
        guard let member = reader.node("tax_rate"), member.value != .null else { return TaxRate(millionths: 0, included: included) }
        let text: String? = switch member.value {
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .string(let value): value.replacingOccurrences(of: "%", with: "")
        default: nil
        }
        guard let text, let millionths = TaxRate.parsePercent(text), millionths <= 1_000_000 else {
            reader.report("expected a percentage between 0 and 100 with at most four decimals, e.g. 8.625", at: member)
            return TaxRate(millionths: 0, included: included)
        }
        return TaxRate(millionths: millionths, included: included)
    }

    /// `hours:` maps weekday names to `closed`, one range (`"11:00-22:00"`) or a list of ranges.
    private mutating func openingHours(_ reader: inout ConfigReader) -> OpeningHours {
        var weekly = Array(repeating: [TimeRange](), count: 7)
        if let hoursNode = reader.node("hours") {
            var days = ConfigReader(hoursNode)
            for (index, key) in Weekday.keys.enumerated() {
                guard let dayNode = days.node(key) else {
                    days.report("missing '\(key)' (write `\(key): closed` for a closed day)")
                    continue
                }
                weekly[index] = ranges(dayNode)
            }
            days.finish()
            issues += days.issues
        } else {
            reader.report("missing required key 'hours' (opening hours per weekday)")
        }
        var exceptions: [LocalDate: OpeningHours.Exception] = [:]
        for exceptionNode in reader.list("exceptions") {
            var exception = ConfigReader(exceptionNode)
            let dateText = exception.string("date")
            let date = dateText.flatMap(LocalDate.init(iso:))
            if dateText != nil, date == nil { exception.report("expected a date as YYYY-MM-DD, got '\(dateText!)'", at: exceptionNode["date"]) }
            let closed = exception.bool("closed", default: false)
            let hoursNode = exception.node("hours")
            let note = exception.string("note", default: nil)
            var dayRanges: [TimeRange] = []
            if let hoursNode, hoursNode.value != .null {
                if closed { exception.report("give either 'closed: true' or 'hours', not both", at: hoursNode) }
                dayRanges = ranges(hoursNode)
            } else if !closed {
                exception.report("an exception needs 'closed: true' or 'hours'")
            }
            exception.finish()
            issues += exception.issues
            if let date {
                if exceptions[date] != nil { issues.append(ConfigIssue(node: exceptionNode, "a second exception for \(date)")) }
                exceptions[date] = OpeningHours.Exception(ranges: dayRanges, note: note)
            }
        }
        return OpeningHours(weekly: weekly, exceptions: exceptions)
    }

    /// One day's ranges: `closed`, `"HH:mm-HH:mm"` or a list of them; overlaps are errors.
    private mutating func ranges(_ node: ConfigNode) -> [TimeRange] {
        let entries: [ConfigNode]
        switch node.value {
        case .string(let text) where text.lowercased() == "closed": return []
        case .bool(false): return []
        case .string: entries = [node]
        case .sequence(let items): entries = items
        default:
            issues.append(ConfigIssue(node: node, "expected `closed`, a range such as \"11:30-22:00\" or a list of ranges, got \(node.kindName)"))
            return []
        }
        var result: [TimeRange] = []
        for entry in entries {
            guard let text = entry.json.stringValue, let range = TimeRange.parse(text) else {
                issues.append(ConfigIssue(node: entry, "expected a range such as \"17:00-23:00\" (an end before the start runs past midnight), got \(entry.json.stringValue.map { "'\($0)'" } ?? entry.kindName)"))
                continue
            }
            if let clash = result.first(where: { $0.start < range.end && range.start < $0.end }) {
                issues.append(ConfigIssue(node: entry, "overlaps the range \(ClockTime.text(clash.start))-\(ClockTime.text(clash.end)) of the same day"))
                continue
            }
            result.append(range)
        }
        return result.sorted { $0.start < $1.start }
    }

    private mutating func orderingSettings(_ node: ConfigNode?) -> OrderingSettings {
        var reader = ConfigReader(node ?? ConfigNode(.null))
        let pickup = reader.bool("pickup", default: true)
        let queued = reader.int("minutes_per_queued_order", default: 4, in: 0...60) ?? 4
        var delivery: DeliverySettings?
        if let deliveryNode = reader.node("delivery"), deliveryNode.value != .null {
            var settings = ConfigReader(deliveryNode)
            let postcodes = settings.strings("postcodes")
            if postcodes.isEmpty { settings.report("delivery needs the 'postcodes' it serves") }
            let minimum = settings.money("minimum_order", default: .zero) ?? .zero
            let fee = settings.money("fee", default: .zero) ?? .zero
            let minutes = settings.int("minutes", default: 30, in: 0...240) ?? 30
            settings.finish()
            reader.absorb(settings.issues)
            delivery = DeliverySettings(postcodes: postcodes, minimumOrder: minimum, fee: fee, minutes: minutes)
        }
        if !pickup, delivery == nil, node != nil { reader.report("offers neither pickup nor delivery") }
        reader.finish()
        issues += reader.issues
        return OrderingSettings(pickup: pickup, delivery: delivery, minutesPerQueuedOrder: queued)
    }

    private mutating func special(_ node: ConfigNode, menu: Menu?) -> Special? {
        var reader = ConfigReader(node)
        let itemID = reader.string("item")
        let note = reader.string("note", default: nil)
        var weekdays = Set<Int>()
        for day in reader.strings("days") {
            if let index = Weekday.keys.firstIndex(of: day.lowercased()) {
                weekdays.insert(index)
            } else {
                reader.report("unknown weekday '\(day)'" + ConfigReader.suggestion(for: day, among: Weekday.keys), at: node["days"])
            }
        }
        if let itemID, let menu, menu.item(id: itemID) == nil {
            reader.report("no menu item '\(itemID)'" + ConfigReader.suggestion(for: itemID, among: menu.items.map(\.id)), at: node["item"])
        }
        reader.finish()
        issues += reader.issues
        guard let itemID else { return nil }
        return Special(itemID: itemID, note: note, weekdays: weekdays)
    }

    private mutating func reservationSettings(_ node: ConfigNode) -> ReservationSettings? {
        var reader = ConfigReader(node)
        var tables: [Table] = []
        for tableNode in reader.list("tables") {
            var table = ConfigReader(tableNode)
            let id = table.identifier("id")
            let seats = table.int("seats", default: nil, in: 1...100)
            if tableNode["seats"] == nil { table.report("missing required key 'seats'") }
            table.finish()
            reader.absorb(table.issues)
            if let id, let seats {
                if tables.contains(where: { $0.id == id }) { reader.report("duplicate table id '\(id)'", at: tableNode) }
                tables.append(Table(id: id, seats: seats))
            }
        }
        let seats = reader.int("seats_per_slot", default: nil, in: 1...10_000)
        let capacity: ReservationSettings.Capacity
        switch (tables.isEmpty, seats) {
        case (false, nil): capacity = .tables(tables)
        case (true, let seats?): capacity = .seats(seats)
        case (false, _?):
            reader.report("give either 'tables' or 'seats_per_slot', not both")
            capacity = .tables(tables)
        case (true, nil):
            reader.report("reservations need 'tables' (each with id and seats) or 'seats_per_slot'")
            capacity = .seats(0)
        }
        let slot = reader.int("slot_minutes", default: 30, in: 5...240) ?? 30
        let duration = reader.int("duration_minutes", default: 90, in: 15...600) ?? 90
        let largestTable = tables.map(\.seats).max() ?? Int.max
        let maxParty = reader.int("max_party_size", default: min(8, largestTable), in: 1...1000) ?? 8
        if case .tables = capacity, maxParty > largestTable {
            reader.report("max_party_size \(maxParty) is more than the largest table seats (\(largestTable))", at: node["max_party_size"])
        }
        let lead = reader.int("lead_minutes", default: 60, in: 0...10_080) ?? 60
        let horizon = reader.int("horizon_days", default: 30, in: 1...365) ?? 30
        let lastSeating = reader.int("last_seating_minutes", default: 60, in: 0...600) ?? 60
        reader.finish()
        issues += reader.issues
        return ReservationSettings(
            capacity: capacity, slotMinutes: slot, durationMinutes: duration, maxPartySize: maxParty, leadMinutes: lead,
            horizonDays: horizon, lastSeatingMinutes: lastSeating)
    }
}
