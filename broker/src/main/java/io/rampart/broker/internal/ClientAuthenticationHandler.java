package io.rampart.broker.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.ReferenceCountUtil;
import io.rampart.broker.Authentication;
import io.rampart.broker.Authenticator;
import io.rampart.broker.PresentedCredentials;
import io.rampart.messaging.AuthenticationFailureReason;
import io.rampart.messaging.SecurityEvent;
import io.rampart.pki.CertificateId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Sits right after the {@link SslHandler}: once the handshake is done, asks the {@link Authenticator} (on the
 * blocking executor) whether the presented certificate may connect. Until it answers, reading stops and anything
 * already decrypted is held back, so no MQTT byte is interpreted for an unauthenticated peer. On acceptance it
 * tells the {@link MqttConnection} who the peer is, replays the held bytes and removes itself.
 */
final class ClientAuthenticationHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ClientAuthenticationHandler.class);

    private final Authenticator authenticator;
    private final BrokerCore core;
    private final Executor blocking;
    private final BrokerCounters counters;
    private final int maxHeldBytes;
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>();
    private int heldBytes;

    ClientAuthenticationHandler(Authenticator authenticator, BrokerCore core) {
        this.authenticator = authenticator;
        this.core = core;
        this.blocking = core.blocking;
        this.counters = core.counters;
        this.maxHeldBytes = core.limits.maxPacketBytes();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent completion) {
            if (completion.isSuccess()) {
                ctx.channel().config().setAutoRead(false);
                authenticate(ctx);
            } else {
                counters.handshakeFailures.increment();
                log.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), completion.cause().toString());
                core.security(new SecurityEvent.AuthenticationFailed(core.clock.instant(), Addresses.sourceIp(ctx.channel()),
                        handshakeFailure(completion.cause()), Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty(), String.valueOf(completion.cause())));
                ctx.close();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // Bytes decrypted in the same read as the handshake's end arrive before the verdict: hold them, bounded.
        ByteBuf buf = (ByteBuf) msg;
        heldBytes += buf.readableBytes();
        held.add(buf);
        if (heldBytes > maxHeldBytes) {
            counters.protocolViolations.increment();
            log.info("{} sent {} bytes before its certificate was accepted; closing", ctx.channel().remoteAddress(), heldBytes);
            ctx.close();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseHeld();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseHeld();
        ctx.fireChannelInactive();
    }

    private void authenticate(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        PresentedCredentials credentials;
        try {
            credentials = credentials(ssl, Addresses.sourceIp(ctx.channel()));
        } catch (SSLPeerUnverifiedException e) {
            counters.authenticationFailures.increment();
            log.info("{} completed TLS without a client certificate; closing", ctx.channel().remoteAddress());
            core.security(new SecurityEvent.AuthenticationFailed(core.clock.instant(), Addresses.sourceIp(ctx.channel()),
                    AuthenticationFailureReason.NO_CLIENT_CERTIFICATE, Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), e.getMessage()));
            ctx.close();
            return;
        }
        try {
            blocking.execute(() -> {
                Authentication verdict = verdict(credentials);
                if (verdict instanceof Authentication.Rejected rejected) {
                    // Computed here, off the event loop: hashing the certificate is the only non-trivial part.
                    core.security(refused(credentials, rejected));
                }
                ctx.executor().execute(() -> apply(ctx, verdict));
            });
        } catch (RejectedExecutionException e) {
            // The broker is shutting down.
            ctx.close();
        }
    }

    private Authentication verdict(PresentedCredentials credentials) {
        try {
            return authenticator.authenticate(credentials);
        } catch (RuntimeException e) {
            log.error("the authenticator failed for a client from {}; refusing it", credentials.sourceIp(), e);
            return new Authentication.Rejected(AuthenticationFailureReason.AUTHENTICATOR_FAILED, "authenticator failed: " + e);
        }
    }

    private void apply(ChannelHandlerContext ctx, Authentication verdict) {
        if (!ctx.channel().isActive()) {
            return;
        }
        switch (verdict) {
            case Authentication.Rejected rejected -> {
                counters.authenticationFailures.increment();
                log.info("certificate of {} refused: {} ({})", ctx.channel().remoteAddress(), rejected.reason(),
                        rejected.message());
                ctx.close();
            }
            case Authentication.Accepted accepted -> {
                ctx.fireUserEventTriggered(new Authenticated(accepted.principal()));
                List<ByteBuf> replay = new ArrayList<>(held);
                held.clear();
                heldBytes = 0;
                ctx.pipeline().remove(this);
                for (ByteBuf buf : replay) {
                    ctx.fireChannelRead(buf);
                }
                ctx.fireChannelReadComplete();
                ctx.channel().config().setAutoRead(true);
            }
        }
    }

    private void releaseHeld() {
        ByteBuf buf;
        while ((buf = held.poll()) != null) {
            ReferenceCountUtil.release(buf);
        }
        heldBytes = 0;
    }

    private SecurityEvent.AuthenticationFailed refused(PresentedCredentials credentials, Authentication.Rejected rejected) {
        X509Certificate leaf = credentials.leaf();
        Optional<String> certificateId;
        try {
            certificateId = Optional.of(CertificateId.of(leaf).value());
        } catch (RuntimeException e) {
            // Unreachable in practice (the TLS stack decoded this certificate from DER); the event goes out without it.
            log.warn("the certificate of {} cannot be re-encoded to compute its id: {}", credentials.sourceIp(), e.toString());
            certificateId = Optional.empty();
        }
        return new SecurityEvent.AuthenticationFailed(core.clock.instant(), credentials.sourceIp(), rejected.reason(),
                certificateId, Optional.of(leaf.getIssuerX500Principal().getName()), credentials.serverName(),
                credentials.alpnProtocol(), rejected.message());
    }

    /** What a failed handshake means; the providers word "no client certificate" differently (JDK, BoringSSL). */
    private static AuthenticationFailureReason handshakeFailure(Throwable cause) {
        if (cause instanceof SslHandshakeTimeoutException) {
            return AuthenticationFailureReason.TLS_HANDSHAKE_TIMEOUT;
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("peer_did_not_return_a_certificate") || message.contains("certificate_required")
                    || message.contains("empty client certificate chain")
                    || message.contains("a client certificate is required")) {
                return AuthenticationFailureReason.NO_CLIENT_CERTIFICATE;
            }
        }
        return AuthenticationFailureReason.TLS_HANDSHAKE_FAILED;
    }

    private static PresentedCredentials credentials(SslHandler ssl, String sourceIp) throws SSLPeerUnverifiedException {
        SSLSession session = ssl.engine().getSession();
        Certificate[] peer = session.getPeerCertificates();
        List<X509Certificate> chain = new ArrayList<>(peer.length);
        for (Certificate certificate : peer) {
            if (certificate instanceof X509Certificate x509) {
                chain.add(x509);
            }
        }
        if (chain.isEmpty()) {
            throw new SSLPeerUnverifiedException("no X.509 client certificate");
        }
        Optional<String> serverName = Optional.empty();
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    serverName = Optional.of(host.getAsciiName());
                }
            }
        }
        return new PresentedCredentials(chain, serverName, Optional.ofNullable(ssl.applicationProtocol()), sourceIp);
    }
}
