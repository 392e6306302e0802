package io.rampart.broker.internal;

import io.netty.channel.Channel;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** The peer address forms lifecycle events and {@code aws:SourceIp} use. */
final class Addresses {
    private Addresses() {
    }

    /** The peer's IP address as text ({@code 127.0.0.1}, {@code ::1}), or the address's string form for other transports. */
    static String sourceIp(Channel channel) {
        SocketAddress address = channel.remoteAddress();
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }
}
