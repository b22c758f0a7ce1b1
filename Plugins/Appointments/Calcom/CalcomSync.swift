import Foundation
import PluginAPI
import SQLKit

/// What became of pushing a booking to Cal.com while the caller waits.
enum PushOutcome {
    /// Cal.com has it.
    case pushed
    /// Cal.com did not answer: the booking is held locally and an outbox job pushes it later.
    case held
    /// Cal.com refused the time (taken): offer alternatives.
    case taken
}

/// Keeps Cal.com and the local mirror in step: remote first while the caller is on the line, and a
/// durable outbox job (`appointments.calcom_sync`) when Cal.com is unreachable. A job that finds the
/// slot taken after all leaves a callback request for staff, so no booking is lost silently.
extension AppointmentsSkill {
    static let syncJobKind = "appointments.calcom_sync"

    func pushNewBooking(_ appointment: inout Appointment, service: Service, context: ToolContext) async throws -> PushOutcome {
        guard let calcom = settings.calcom, let eventType = service.calcomEventTypeID else { return .pushed }
        let client = try CalcomClient(settings: calcom, services: context.services, deadline: context.deadline)
        do {
            let remote = try await client.create(
                eventTypeID: eventType, start: appointment.start, lengthInMinutes: nil, name: appointment.customerName,
                phone: appointment.customerPhone, email: appointment.customerEmail, timeZone: zone, localID: appointment.id)
            appointment.calcomUID = remote.uid
            appointment.calcomID = remote.id
            appointment.syncStatus = "synced"
            return .pushed
        } catch CalcomError.rejected {
            // Refused: maybe because an earlier run of this same invocation booked it already.
            guard let ours = try? await client.find(localID: appointment.id, start: appointment.start) else { return .taken }
            appointment.calcomUID = ours.uid
            appointment.calcomID = ours.id
            appointment.syncStatus = "synced"
            return .pushed
        } catch CalcomError.unreachable(let detail) {
            context.logger.warning("Cal.com unreachable; booking held locally", metadata: ["appointment": "\(appointment.id)", "error": "\(detail)"])
            appointment.syncStatus = "pending"
            try await enqueueSync(appointment, action: "create", on: context)
            return .held
        }
    }

    /// The Cal.com booking an earlier run of this same invocation made (its transaction was re-run), if any.
    func ownCalcomBooking(localID: String, start: Date, context: ToolContext) async throws -> CalcomBooking? {
        guard let calcom = settings.calcom else { return nil }
        let client = try CalcomClient(settings: calcom, services: context.services, deadline: context.deadline)
        return try? await client.find(localID: localID, start: start)
    }

    func pushReschedule(_ appointment: inout Appointment, context: ToolContext) async throws -> PushOutcome {
        guard let calcom = settings.calcom else { return .pushed }
        guard let uid = appointment.calcomUID else {
            // Not in Cal.com yet: the pending create job will push the new time.
            return .held
        }
        let client = try CalcomClient(settings: calcom, services: context.services, deadline: context.deadline)
        do {
            let remote = try await client.reschedule(uid: uid, start: appointment.start, reason: "Vom Anrufer telefonisch verschoben")
            appointment.previousUID = uid
            appointment.calcomUID = remote.uid
            appointment.calcomID = remote.id
            appointment.syncStatus = "synced"
            return .pushed
        } catch CalcomError.rejected {
            return .taken
        } catch CalcomError.unreachable {
            appointment.syncStatus = "pending"
            try await enqueueSync(appointment, action: "reschedule", on: context)
            return .held
        }
    }

    func pushCancel(_ appointment: inout Appointment, reason: String?, context: ToolContext) async throws {
        guard let calcom = settings.calcom, let uid = appointment.calcomUID else { return }
        let client = try CalcomClient(settings: calcom, services: context.services, deadline: context.deadline)
        do {
            try await client.cancel(uid: uid, reason: reason)
        } catch CalcomError.unreachable {
            appointment.syncStatus = "pending"
            try await enqueueSync(appointment, action: "cancel", on: context)
        }
    }

    private func enqueueSync(_ appointment: Appointment, action: String, on context: ToolContext) async throws {
        try await context.jobs.enqueue(
            kind: Self.syncJobKind,
            payload: ["appointment_id": .string(appointment.id), "agent_id": .string(settings.agentID), "action": .string(action)],
            on: context.db, notBefore: nil)
    }

    // MARK: - The outbox job

    var jobHandlers: [JobHandler] {
        guard settings.calcom != nil else { return [] }
        let skill = self
        return [JobHandler(kind: Self.syncJobKind, maxAttempts: 10) { payload, context in try await skill.runSync(payload, context: context) }]
    }

    func runSync(_ payload: JSONValue, context: JobContext) async throws {
        guard let calcom = settings.calcom, let id = payload["appointment_id"]?.stringValue else { return }
        let agentID = payload["agent_id"]?.stringValue ?? settings.agentID
        guard var appointment = try await AppointmentStore.find(id: id, agentID: agentID, on: context.storage.sql) else {
            context.logger.warning("sync job for an unknown appointment", metadata: ["appointment": "\(id)"])
            return
        }
        let client = try CalcomClient(settings: calcom, services: context.services)
        let now = context.clock.now()
        if appointment.status == "cancelled" {
            if let uid = appointment.calcomUID { try await client.cancel(uid: uid, reason: nil) }
            appointment.syncStatus = "synced"
            try await AppointmentStore.update(appointment, now: now, on: context.storage.sql)
            return
        }
        if let uid = appointment.calcomUID {
            let remote = try await client.get(uid: uid)
            if remote.start != appointment.start {
                do {
                    let moved = try await client.reschedule(uid: uid, start: appointment.start, reason: "Vom Anrufer telefonisch verschoben")
                    appointment.previousUID = uid
                    appointment.calcomUID = moved.uid
                    appointment.calcomID = moved.id
                } catch CalcomError.rejected(_, let message) {
                    try await recordConflict(appointment, detail: message, context: context)
                    return
                }
            }
            appointment.syncStatus = "synced"
            try await AppointmentStore.update(appointment, now: now, on: context.storage.sql)
            return
        }
        let service = business.services.first { $0.id == appointment.serviceID }
        guard let eventType = service?.calcomEventTypeID else {
            try await recordConflict(appointment, detail: "no Cal.com event type for service \(appointment.serviceID)", context: context)
            return
        }
        // A create that timed out may have reached Cal.com: look before creating again (no idempotency key).
        let remote: CalcomBooking
        if let existing = try await client.find(localID: appointment.id, start: appointment.start) {
            remote = existing
        } else {
            do {
                remote = try await client.create(
                    eventTypeID: eventType, start: appointment.start, lengthInMinutes: nil, name: appointment.customerName,
                    phone: appointment.customerPhone, email: appointment.customerEmail, timeZone: zone, localID: appointment.id)
            } catch CalcomError.rejected(_, let message) {
                try await recordConflict(appointment, detail: message, context: context)
                return
            }
        }
        appointment.calcomUID = remote.uid
        appointment.calcomID = remote.id
        appointment.syncStatus = "synced"
        try await AppointmentStore.update(appointment, now: now, on: context.storage.sql)
    }

    /// Marks the appointment as in conflict and leaves an open callback request for staff, in one transaction.
    private func recordConflict(_ appointment: Appointment, detail: String, context: JobContext) async throws {
        var copy = appointment
        copy.syncStatus = "conflict"
        let marked = copy
        let now = context.clock.now()
        let spoken = GermanSpeech.slot(LocalDate(appointment.start, in: zone), LocalTime(appointment.start, in: zone), currentYear: LocalDate(now, in: zone).year)
        let reason = "Termin \(spoken) für \(appointment.customerName) konnte nicht in Cal.com eingetragen werden (\(detail)). Bitte zurückrufen und einen neuen Termin vereinbaren."
        try await context.storage.transaction { db in
            try await AppointmentStore.update(marked, now: now, on: db)
            try await db.insert(into: "callback_requests")
                .columns("call_id", "agent_id", "phone", "reason", "status", "created_at")
                .values(SQLBind(appointment.callID), SQLBind(appointment.agentID), SQLBind(appointment.customerPhone), SQLBind(reason),
                        SQLBind("open"), SQLBind(AppointmentStore.millis(now)))
                .run()
        }
        context.logger.error("Cal.com conflict; callback request stored", metadata: ["appointment": "\(appointment.id)", "detail": "\(detail)"])
    }
}
