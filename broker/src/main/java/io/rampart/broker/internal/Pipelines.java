package io.rampart.broker.internal;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.rampart.broker.Authenticator;
import io.rampart.broker.Principal;

/**
 * The per-connection pipelines, one handler per job: TLS -> client authentication -> MQTT decoding/encoding ->
 * (keep-alive, added at CONNECT) -> the connection's state machine.
 */
public final class Pipelines {
    private Pipelines() {
    }

    /** Mutual TLS: the Authenticator judges the client certificate before any MQTT byte is decoded. */
    public static ChannelInitializer<SocketChannel> tls(BrokerCore core, SslContext tls, Authenticator authenticator) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                SslHandler ssl = tls.newHandler(channel.alloc());
                ssl.setHandshakeTimeoutMillis(core.config.handshakeTimeout().toMillis());
                ChannelPipeline pipeline = channel.pipeline();
                pipeline.addLast("tls", ssl);
                pipeline.addLast("authenticate", new ClientAuthenticationHandler(authenticator, core));
                mqtt(core, pipeline, null);
            }
        };
    }

    /** Plain TCP: every client acts as the listener's policy. */
    public static ChannelInitializer<SocketChannel> plain(BrokerCore core, String policyName) {
        Principal principal = new Principal.ListenerPolicy(policyName);
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                mqtt(core, channel.pipeline(), principal);
            }
        };
    }

    private static void mqtt(BrokerCore core, ChannelPipeline pipeline, Principal principal) {
        pipeline.addLast("decoder", new MqttDecoder(core.limits.maxPacketBytes(), core.limits.maxClientIdBytes()));
        pipeline.addLast("encoder", MqttEncoder.INSTANCE);
        pipeline.addLast("mqtt", new MqttConnection(core, principal));
    }
}
