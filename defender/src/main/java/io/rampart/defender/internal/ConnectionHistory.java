package io.rampart.defender.internal;

import io.rampart.defender.RefusedConnection;
import io.rampart.messaging.ClientConnection;
import io.rampart.messaging.DisconnectReason;
import io.rampart.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The gateway's connections and refused clients as the audit remembers them ({@code defender_connections},
 * {@code defender_refused_connections}).
 */
public final class ConnectionHistory {
    /** One connection; {@code disconnectedAt} is null while it is open. */
    public record Session(String sessionId, String clientId, String principalId, String sourceIp, Instant connectedAt,
                          Instant disconnectedAt, DisconnectReason disconnectReason) {
        /** Whether this connection and {@code other} were open at the same moment ({@code openUntil} for open ones). */
        boolean overlaps(Session other, Instant openUntil) {
            Instant end = disconnectedAt == null ? openUntil : disconnectedAt;
            Instant otherEnd = other.disconnectedAt == null ? openUntil : other.disconnectedAt;
            return connectedAt.isBefore(otherEnd) && other.connectedAt.isBefore(end);
        }
    }

    private final Database db;

    public ConnectionHistory(Database db) {
        this.db = db;
    }

    public void connected(ClientConnection connection, Instant at) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO defender_connections (session_id, client_id,"
                    + " principal_id, source_ip, thing_name, connected_at) VALUES (?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (session_id) DO NOTHING")) {
                s.setString(1, connection.sessionId());
                s.setString(2, connection.clientId());
                s.setString(3, connection.principalId());
                s.setString(4, connection.sourceIp());
                s.setString(5, connection.thingName());
                s.setLong(6, at.toEpochMilli());
                s.executeUpdate();
            }
            return null;
        });
    }

    /** Records the end of a connection; one whose start was never seen is recorded as starting when it ended. */
    public void disconnected(ClientConnection connection, Instant at, DisconnectReason reason) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE defender_connections SET disconnected_at = ?,"
                    + " disconnect_reason = ? WHERE session_id = ? AND disconnected_at IS NULL")) {
                s.setLong(1, at.toEpochMilli());
                s.setString(2, reason.name());
                s.setString(3, connection.sessionId());
                if (s.executeUpdate() == 1) {
                    return null;
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO defender_connections (session_id, client_id,"
                    + " principal_id, source_ip, thing_name, connected_at, disconnected_at, disconnect_reason)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (session_id) DO NOTHING")) {
                s.setString(1, connection.sessionId());
                s.setString(2, connection.clientId());
                s.setString(3, connection.principalId());
                s.setString(4, connection.sourceIp());
                s.setString(5, connection.thingName());
                s.setLong(6, at.toEpochMilli());
                s.setLong(7, at.toEpochMilli());
                s.setString(8, reason.name());
                s.executeUpdate();
            }
            return null;
        });
    }

    /** Connections open at some moment of [from, to], by principal then start. */
    public List<Session> sessions(Instant from, Instant to) {
        return db.query(c -> {
            List<Session> sessions = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT session_id, client_id, principal_id, source_ip,"
                    + " connected_at, disconnected_at, disconnect_reason FROM defender_connections"
                    + " WHERE connected_at <= ? AND (disconnected_at IS NULL OR disconnected_at >= ?)"
                    + " ORDER BY principal_id, connected_at, session_id")) {
                s.setLong(1, to.toEpochMilli());
                s.setLong(2, from.toEpochMilli());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        long disconnected = rs.getLong(6);
                        Instant disconnectedAt = rs.wasNull() ? null : Instant.ofEpochMilli(disconnected);
                        String reason = rs.getString(7);
                        sessions.add(new Session(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                Instant.ofEpochMilli(rs.getLong(5)), disconnectedAt,
                                reason == null ? null : DisconnectReason.valueOf(reason)));
                    }
                }
            }
            return sessions;
        });
    }

    public void refused(RefusedConnection refusal) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO defender_refused_connections (refusal_id,"
                    + " certificate_id, source_ip, reason, refused_at) VALUES (?, ?, ?, ?, ?)")) {
                s.setString(1, UUID.randomUUID().toString());
                s.setString(2, refusal.certificateId());
                s.setString(3, refusal.sourceIp());
                s.setString(4, refusal.reason().name());
                s.setLong(5, refusal.refusedAt().toEpochMilli());
                s.executeUpdate();
            }
            return null;
        });
    }

    /** Refusals in [from, to], oldest first. */
    public List<RefusedConnection> refusals(Instant from, Instant to) {
        return db.query(c -> {
            List<RefusedConnection> refusals = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT certificate_id, source_ip, reason, refused_at"
                    + " FROM defender_refused_connections WHERE refused_at >= ? AND refused_at <= ?"
                    + " ORDER BY refused_at, refusal_id")) {
                s.setLong(1, from.toEpochMilli());
                s.setLong(2, to.toEpochMilli());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        refusals.add(new RefusedConnection(rs.getString(1), rs.getString(2),
                                RefusedConnection.Reason.valueOf(rs.getString(3)), Instant.ofEpochMilli(rs.getLong(4))));
                    }
                }
            }
            return refusals;
        });
    }

    /** Forgets connections that ended, and refusals made, before {@code before}. */
    public void forgetBefore(Instant before) {
        db.inTransaction(c -> {
            try (PreparedStatement a = c.prepareStatement("DELETE FROM defender_connections WHERE disconnected_at < ?");
                 PreparedStatement b = c.prepareStatement("DELETE FROM defender_refused_connections WHERE refused_at < ?")) {
                a.setLong(1, before.toEpochMilli());
                a.executeUpdate();
                b.setLong(1, before.toEpochMilli());
                b.executeUpdate();
            }
            return null;
        });
    }
}
