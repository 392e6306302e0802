package io.rampart.policy.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 CIDR block for IpAddress / NotIpAddress. Only numeric literals are accepted, so parsing never
 * performs a DNS lookup.
 */
public final class IpRange {
    private final byte[] network;
    private final int prefixLength;

    private IpRange(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /** Parses {@code 203.0.113.0/24}, {@code 2001:db8::/32} or a single address; null when invalid. */
    public static IpRange parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String address = slash < 0 ? t : t.substring(0, slash);
        byte[] bytes = literal(address);
        if (bytes == null) {
            return null;
        }
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String digits = t.substring(slash + 1);
            if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(Character::isDigit)) {
                return null;
            }
            prefix = Integer.parseInt(digits);
            if (prefix > max) {
                return null;
            }
        }
        return new IpRange(bytes, prefix);
    }

    /** True when the address (a literal) lies in this block; false for anything unparseable or of another family. */
    public boolean contains(String address) {
        byte[] bytes = literal(address.trim());
        if (bytes == null || bytes.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (bytes[full] & mask) == (network[full] & mask);
    }

    /** The bytes of a numeric IPv4 or IPv6 literal, or null. */
    static byte[] literal(String address) {
        if (address.isEmpty()) {
            return null;
        }
        if (address.indexOf(':') < 0) {
            return ipv4(address);
        }
        // A string containing ':' cannot be a host name, so InetAddress parses it as a literal without DNS.
        if (!address.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return null;
        }
        try {
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static byte[] ipv4(String address) {
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }
}
