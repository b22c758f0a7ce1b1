import PluginAPI

/// The tools the skill offers, with the seed's names; arguments accept the seed's names too.
enum AppointmentTools {
    private static let name = JSONSchema.string("Name des Kunden / der Kundin (Vor- und Nachname).")
    private static let phone = JSONSchema.string("Telefonnummer; ohne Angabe die Nummer des Anrufers.")
    private static let email = JSONSchema.string("E-Mail-Adresse (optional).")
    private static let service = JSONSchema.string("Leistung: id, Name oder wie der Anrufer sie nennt (z. B. \"Kontrolle\").")
    private static let staff = JSONSchema.string("Gewünschte Person (id oder Name), optional.")
    private static let when = JSONSchema.string("Wann: was der Anrufer sagt (\"morgen um halb drei\", \"nächste Woche vormittags\") oder ISO 8601.")
    private static let slot = JSONSchema.string("Der Termin: ein angebotener Slot als ISO 8601 (\"2026-03-03T14:30:00+01:00\") oder was der Anrufer sagt.")
    private static let appointmentID = JSONSchema.string("Die Termin-ID (aus find_appointments oder book_appointment).")
    private static let duration = JSONSchema.integer("Dauer in Minuten (nur wenn die Leistung keine feste Dauer hat).", minimum: 5, maximum: 480)

    static let resolveDatetime = ToolDefinition(
        name: "resolve_datetime",
        description: "Versteht deutsche Datums- und Zeitangaben (\"nächsten Dienstag um halb drei\") relativ zu heute. Bei mehreren Lesarten (ambiguous) nachfragen; bei confirm bestätigen lassen.",
        parameters: .object([.init("phrase", .string("Was der Anrufer gesagt hat."), required: true)]),
        effect: .readOnly)

    static let collectInfo = ToolDefinition(
        name: "collect_appointment_info",
        description: "Merkt sich, was der Anrufer für den Termin angegeben hat, und sagt, was noch fehlt.",
        parameters: .object([
            .init("name", name), .init("phone", phone), .init("email", email), .init("service", service), .init("staff", staff),
            .init("date_time", when), .init("notes", .string("Anmerkungen (nur wenn nötig).")),
            .init("customer_name", name), .init("customer_phone", phone), .init("customer_email", email),
            .init("service_id", service), .init("staff_id", staff),
        ]),
        effect: .mutating)

    static let checkAvailability = ToolDefinition(
        name: "check_availability",
        description: "Sucht freie Termine für eine Leistung zum gewünschten Zeitpunkt und nennt die nächstgelegenen freien Zeiten.",
        parameters: .object([
            .init("service", service), .init("date_time", when), .init("staff", staff),
            .init("service_id", service), .init("staff_id", staff), .init("date", when), .init("duration", duration),
        ]),
        effect: .readOnly)

    static let book = ToolDefinition(
        name: "book_appointment",
        description: "Bucht einen Termin, nachdem der Anrufer Datum und Uhrzeit bestätigt hat. Ist er vergeben, kommen Alternativen zurück.",
        parameters: .object([
            .init("name", name), .init("phone", phone), .init("email", email), .init("service", service), .init("slot", slot),
            .init("staff", staff), .init("notes", .string("Anmerkungen (optional).")),
            .init("customer_name", name), .init("customer_phone", phone), .init("customer_email", email),
            .init("service_id", service), .init("staff_id", staff), .init("start_time", slot), .init("duration", duration),
        ]),
        effect: .mutating)

    static let reschedule = ToolDefinition(
        name: "reschedule_appointment",
        description: "Verschiebt einen bestehenden Termin auf einen neuen Zeitpunkt (ohne ID: der nächste Termin des Anrufers).",
        parameters: .object([
            .init("appointment_id", appointmentID), .init("new_slot", slot), .init("phone", phone),
            .init("start_time", slot), .init("new_date_time", slot), .init("customer_phone", phone),
        ]),
        effect: .mutating)

    static let cancel = ToolDefinition(
        name: "cancel_appointment",
        description: "Sagt einen Termin ab, nachdem der Anrufer es bestätigt hat (ohne ID: der Termin des Anrufers, ggf. mit date_time).",
        parameters: .object([
            .init("appointment_id", appointmentID), .init("phone", phone), .init("date_time", when),
            .init("reason", .string("Grund (optional).")), .init("customer_phone", phone),
        ]),
        effect: .mutating)

    static let find = ToolDefinition(
        name: "find_appointments",
        description: "Findet die kommenden Termine des Anrufers (über seine Telefonnummer).",
        parameters: .object([.init("phone", phone), .init("customer_phone", phone)]),
        effect: .readOnly)

    static let all = [resolveDatetime, collectInfo, checkAvailability, book, reschedule, cancel, find]
}
