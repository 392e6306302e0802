package io.rampart.trail;

/** An event as stored: its sequence number in the trail and its chain hash (hex SHA-256). */
public record TrailRecord(long seq, String hash, TrailEvent event) {
}
