package io.rampart.broker;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.rampart.broker.internal.BrokerCore;
import io.rampart.broker.internal.BrokerCounters;
import io.rampart.broker.internal.MqttConnection;
import io.rampart.broker.internal.Pipelines;
import io.rampart.broker.internal.ServerTls;
import io.rampart.broker.internal.Transport;
import io.rampart.broker.store.BrokerStorage;
import io.rampart.common.RampartException;
import io.rampart.messaging.ConnectionListener;
import io.rampart.messaging.Message;
import io.rampart.messaging.MessageBus;
import io.rampart.messaging.MessageListener;
import io.rampart.messaging.Origin;
import io.rampart.messaging.QoS;
import io.rampart.messaging.Registration;
import io.rampart.messaging.ReservedTopicHandler;
import io.rampart.messaging.SecurityListener;
import io.rampart.messaging.TopicFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The MQTT gateway: MQTT 3.1.1 and 5.0 over mutual TLS (and, only when configured, plain TCP on loopback), with
 * every action authorized through the {@link Authorizer}. It is also the node's {@link MessageBus}.
 *
 * <p>With a {@link BrokerStorage}, persistent sessions and retained messages are durable: a QoS 1/2 message is
 * acknowledged only once it is committed for every matching persistent session, and {@link #start()} restores what
 * the store holds. Without one (tests, tools) they live in memory only and are lost when the broker stops.
 *
 * <pre>{@code
 * MqttBroker broker = new MqttBroker(config, authenticator, authorizer, blockingExecutor, Clock.systemUTC());
 * broker.start();                 // binds; broker.tlsPort() is the port actually bound
 * shadowService.start(broker);    // services see only the MessageBus
 * ...
 * broker.close();
 * }</pre>
 */
public final class MqttBroker implements MessageBus, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MqttBroker.class);

    private final BrokerConfig config;
    private final Authenticator authenticator;
    private final Transport transport;
    private final SslProvider sslProvider;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final BrokerCounters counters = new BrokerCounters();
    private final BrokerCore core;
    private Channel tlsChannel;
    private Channel plainChannel;
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * @param config        listeners, limits and timeouts
     * @param authenticator judges client certificates (registry-backed in the server)
     * @param authorizer    answers iot:Connect/Publish/RetainPublish/Subscribe/Receive (policy engine in the server)
     * @param blocking      where authentication, authorization cache misses and service callbacks run; never a
     *                      Netty event loop (a virtual-thread-per-task executor fits)
     * @param clock         time for limits, expiry and lifecycle timestamps
     */
    public MqttBroker(BrokerConfig config, Authenticator authenticator, Authorizer authorizer, Executor blocking, Clock clock) {
        this(config, authenticator, authorizer, blocking, clock, null);
    }

    /**
     * A broker whose persistent sessions and retained messages are durable in {@code storage} (null: memory only).
     * The caller owns the storage and closes it after this broker.
     */
    public MqttBroker(BrokerConfig config, Authenticator authenticator, Authorizer authorizer, Executor blocking, Clock clock,
                      BrokerStorage storage) {
        this.config = Objects.requireNonNull(config, "config");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.transport = Transport.select(config.nativeTransport());
        this.sslProvider = ServerTls.provider(config.nativeTransport());
        this.bossGroup = transport.newGroup(1);
        this.workerGroup = transport.newGroup(0);
        this.core = new BrokerCore(config, Objects.requireNonNull(authorizer, "authorizer"),
                Objects.requireNonNull(blocking, "blocking"), Objects.requireNonNull(clock, "clock"), counters, workerGroup,
                storage);
    }

    /** Restores the stored sessions and retained messages, then binds the listeners; returns when they accept connections. */
    public void start() {
        core.restore();
        SslContext tls = ServerTls.context(config.tls().identity(), sslProvider);
        tlsChannel = bind(config.tls().host(), config.tls().port(), Pipelines.tls(core, tls, authenticator));
        log.info("MQTT over TLS listening on {}:{} ({} transport, {} TLS)", config.tls().host(), tlsPort(),
                transport.name(), sslProvider);
        config.plain().ifPresent(plain -> {
            plainChannel = bind(plain.host(), plain.port(), Pipelines.plain(core, plain.policyName()));
            log.warn("PLAIN-TCP MQTT listener on {}:{}: clients are NOT authenticated and all act as policy '{}'",
                    plain.host(), plainPort().orElseThrow(), plain.policyName());
        });
    }

    private Channel bind(String host, int port, io.netty.channel.ChannelHandler initializer) {
        try {
            return new ServerBootstrap()
                    .group(bossGroup, workerGroup)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(initializer)
                    .bind(host, port).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + host + ":" + port, e);
        } catch (RuntimeException e) {
            throw new RampartException(io.rampart.common.ErrorType.SERVICE_UNAVAILABLE,
                    "cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** The port the TLS listener bound (useful with port 0). */
    public int tlsPort() {
        return ((InetSocketAddress) tlsChannel.localAddress()).getPort();
    }

    /** The port the plain listener bound, if there is one. */
    public OptionalInt plainPort() {
        return plainChannel == null ? OptionalInt.empty()
                : OptionalInt.of(((InetSocketAddress) plainChannel.localAddress()).getPort());
    }

    /** "epoll" or "nio". */
    public String transportName() {
        return transport.name();
    }

    /** OPENSSL or JDK. */
    public SslProvider tlsProvider() {
        return sslProvider;
    }

    /** Counters since start. */
    public BrokerStatistics statistics() {
        return counters.snapshot();
    }

    /** Open connections now (TLS and plain, whether or not CONNECT was accepted yet). */
    public int connectionCount() {
        return core.connectionCount();
    }

    /** Sessions, queued and in-flight messages now. */
    public SessionDepths sessionDepths() {
        return core.sessionDepths();
    }

    /**
     * Disconnects every live connection of {@code principalId} (a certificate id): the certificate was revoked or
     * deactivated. The connections are closed within the time it takes their event loops to run one task.
     */
    public int disconnectPrincipal(String principalId) {
        int count = 0;
        for (MqttConnection connection : core.connections()) {
            Principal principal = connection.principal();
            if (principal != null && principal.id().equals(principalId)) {
                connection.revoke();
                count++;
            }
        }
        return count;
    }

    /**
     * Forgets cached authorization decisions of every connection of {@code principalId}, or of all connections when
     * null (a policy, policy version, attachment or group membership changed).
     */
    public void invalidateAuthorizations(String principalId) {
        for (MqttConnection connection : core.connections()) {
            Principal principal = connection.principal();
            if (principalId == null || principal != null && principal.id().equals(principalId)) {
                connection.invalidateDecisions();
            }
        }
    }

    // ---- MessageBus ---------------------------------------------------------------------------------------

    @Override
    public CompletionStage<Void> publish(Origin.Service service, Message message) {
        return core.route(message, service, null);
    }

    @Override
    public Registration subscribe(TopicFilter filter, QoS qos, MessageListener listener) {
        return core.subscribeService(filter, qos, listener);
    }

    @Override
    public Registration handleReserved(TopicFilter filter, ReservedTopicHandler handler) {
        return core.handleReserved(filter, handler);
    }

    @Override
    public Registration onConnectionEvent(ConnectionListener listener) {
        return core.onConnectionEvent(listener);
    }

    @Override
    public Registration onSecurityEvent(SecurityListener listener) {
        return core.onSecurityEvent(listener);
    }

    /**
     * Stops listening, closes every connection (MQTT 5 clients get DISCONNECT 0x8B Server shutting down) and waits for
     * the event loops to end. Later calls do nothing.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        if (tlsChannel != null) {
            tlsChannel.close().syncUninterruptibly();
        }
        if (plainChannel != null) {
            plainChannel.close().syncUninterruptibly();
        }
        // Waited for (a little): a shutting-down event loop closes its channels before it runs the tasks still queued,
        // which would lose the DISCONNECT.
        List<io.netty.util.concurrent.Future<Void>> disconnected = new ArrayList<>();
        for (MqttConnection connection : core.connections()) {
            disconnected.add(connection.serverShuttingDown());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (io.netty.util.concurrent.Future<Void> future : disconnected) {
            future.awaitUninterruptibly(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
