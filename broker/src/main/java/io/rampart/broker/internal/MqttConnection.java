package io.rampart.broker.internal;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.rampart.broker.AuthorizationQuery;
import io.rampart.broker.Principal;
import io.rampart.broker.store.InboundPacket;
import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;
import io.rampart.messaging.ClientConnection;
import io.rampart.messaging.ConnectionEvent;
import io.rampart.messaging.DisconnectReason;
import io.rampart.messaging.Message;
import io.rampart.messaging.MessageProperties;
import io.rampart.messaging.Origin;
import io.rampart.messaging.QoS;
import io.rampart.messaging.RetainHandling;
import io.rampart.messaging.SecurityEvent;
import io.rampart.messaging.SubscriptionOptions;
import io.rampart.messaging.Topic;
import io.rampart.messaging.TopicFilter;
import io.rampart.messaging.UserProperty;
import io.rampart.policy.Decision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The MQTT state machine of one connection: CONNECT first, then the session's packets, until DISCONNECT or close.
 *
 * <p>Threading: every method runs on the channel's event loop except {@link #wakeUp}, {@link #takenOver} and
 * {@link #revoke}, which schedule onto it, and {@link #invalidateDecisions}, which only bumps the decision cache's
 * generation (so a packet read right after it is judged afresh). Authorization answers missing from
 * the {@link DecisionCache} are computed on the broker's blocking executor; while one is pending, reading stops
 * and later packets wait in {@link #waiting}, so packets are always handled in arrival order.
 *
 * <p>Durability: replies that promise something the broker store must keep (PUBACK/PUBREC for a message queued for a
 * persistent session or retained, PUBCOMP releasing a stored QoS 2 packet id) wait in {@link #replies} until the
 * store's group commit completes, and leave in the order their packets arrived (MQTT-4.6.0-2); reading goes on
 * meanwhile. CONNACK, SUBACK and UNSUBACK of a stored session wait for their write with reading paused, like an
 * authorization answer. The event loop never waits for the disk.
 */
public final class MqttConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(MqttConnection.class);
    private static final String KEEP_ALIVE_HANDLER = "keepAlive";
    private static final String AWS_RESERVED_PREFIX = "$aws/";

    private enum State { AWAIT_CONNECT, CONNECTING, CONNECTED, CLOSED }

    private final BrokerCore core;
    private final DecisionCache decisions;
    private final ArrayDeque<MqttMessage> waiting = new ArrayDeque<>();
    private final Map<Integer, String> topicAliases = new HashMap<>();
    private final Set<String> pendingReceiveDecisions = new HashSet<>();
    private final ArrayDeque<Reply> replies = new ArrayDeque<>();
    /** PUBACKs in {@link #replies}. */
    private int pubAcksWaiting;
    /** In-flight packet ids of a resumed session not yet re-sent on this connection: its window was full. */
    private final ArrayDeque<Integer> awaitingResend = new ArrayDeque<>();

    private ChannelHandlerContext ctx;
    private State state = State.AWAIT_CONNECT;
    private boolean busy;
    private Principal principal;
    private String sourceIp;
    private boolean v5;
    private String clientId;
    private ClientConnection identity;
    private Session session;
    private int sendWindow;
    /** The client's Maximum Packet Size (MQTT 5 CONNECT); Long.MAX_VALUE when it set none. */
    private long clientMaxPacketSize = Long.MAX_VALUE;
    /** The session expiry the broker uses when lower than the one the MQTT 5 client asked for; announced in CONNACK. */
    private Duration lowerSessionExpiry;
    private Message will;
    private Duration willDelay = Duration.ZERO;
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();
    private DisconnectReason closeReason;
    private boolean clientInitiated;
    private long publishWindowStart;
    private int publishesInWindow;
    private ScheduledFuture<?> connectDeadline;
    /** CONNACK accepted the connection (its session may be attached earlier, while the store opens it). */
    private boolean accepted;
    /** A QoS 2 delivery waits for its packet id to be durable before it is sent; the pump stops meanwhile. */
    private boolean awaitingSendRecord;

    MqttConnection(BrokerCore core, Principal presetPrincipal) {
        this.core = core;
        this.decisions = new DecisionCache(core.limits.authorizationCacheSize());
        this.principal = presetPrincipal;
    }

    /** The principal of this connection, once authenticated. */
    public Principal principal() {
        return principal;
    }

    /** This connection as services see it; null until CONNECT is accepted. */
    ClientConnection identity() {
        return identity;
    }

    // ---- channel events -----------------------------------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        core.register(this);
        core.counters.connectionsAccepted.increment();
        // Covers the TLS handshake and the wait for CONNECT: a peer that never gets that far is dropped.
        long deadline = core.config.handshakeTimeout().toMillis() + core.config.connectTimeout().toMillis();
        connectDeadline = ctx.executor().schedule(() -> {
            if (state == State.AWAIT_CONNECT) {
                core.counters.protocolViolations.increment();
                log.debug("{} sent no CONNECT in time; closing", ctx.channel().remoteAddress());
                ctx.close();
            }
        }, deadline, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        sourceIp = Addresses.sourceIp(ctx.channel());
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof Authenticated authenticated) {
            principal = authenticated.principal();
        } else if (evt instanceof IdleStateEvent && state == State.CONNECTED) {
            // MQTT-3.1.2-24: nothing received for 1.5 times the keep-alive.
            serverDisconnect(0x8D, DisconnectReason.MQTT_KEEP_ALIVE_TIMEOUT, "keep-alive timeout");
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttMessage message) || state == State.CLOSED) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (busy) {
            waiting.add(message);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        handle(message);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (closeReason == null) {
            closeReason = DisconnectReason.CONNECTION_LOST;
        }
        log.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private void handle(MqttMessage message) {
        try {
            DecoderResult result = message.decoderResult();
            if (result.isFailure()) {
                malformed(result.cause());
                return;
            }
            MqttMessageType type = message.fixedHeader().messageType();
            if (state == State.AWAIT_CONNECT) {
                if (type != MqttMessageType.CONNECT) {
                    // MQTT-3.1.0-1: the first packet must be CONNECT.
                    violation("first packet was " + type + ", not CONNECT", 0x82);
                    return;
                }
                connect((MqttConnectMessage) message);
                return;
            }
            if (state != State.CONNECTED) {
                return;
            }
            switch (type) {
                case CONNECT -> violation("second CONNECT (MQTT-3.1.0-2)", 0x82);
                case PUBLISH -> publish((MqttPublishMessage) message);
                case PUBACK -> outboundAcknowledged(packetId(message), false);
                case PUBREC -> outboundReceived(message);
                case PUBCOMP -> outboundAcknowledged(packetId(message), true);
                case PUBREL -> inboundReleased(packetId(message));
                case SUBSCRIBE -> subscribe((MqttSubscribeMessage) message);
                case UNSUBSCRIBE -> unsubscribe((MqttUnsubscribeMessage) message);
                case PINGREQ -> ctx.writeAndFlush(new MqttMessage(fixed(MqttMessageType.PINGRESP, MqttQoS.AT_MOST_ONCE)));
                case DISCONNECT -> clientDisconnect(message);
                default -> violation("unexpected " + type + " from a client", 0x82);
            }
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    private void malformed(Throwable cause) {
        if (cause instanceof MqttUnacceptableProtocolVersionException && state == State.AWAIT_CONNECT) {
            // MQTT-3.1.2-2: answer an unsupported protocol level with return code 0x01, then close.
            core.counters.connectsRefused.increment();
            ctx.writeAndFlush(connAck(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION, false,
                    MqttProperties.NO_PROPERTIES)).addListener(ChannelFutureListener.CLOSE);
            state = State.CLOSED;
            return;
        }
        if (cause instanceof TooLongFrameException) {
            core.counters.limitViolations.increment();
            violation("packet larger than " + core.limits.maxPacketBytes() + " bytes", 0x95);
            return;
        }
        violation("malformed packet: " + cause.getMessage(), 0x81);
    }

    // ---- CONNECT ------------------------------------------------------------------------------------------

    private void connect(MqttConnectMessage connect) {
        state = State.CONNECTING;
        v5 = connect.variableHeader().version() == 5;
        MqttProperties properties = connect.variableHeader().properties();
        String requestedId = connect.payload().clientIdentifier();
        boolean cleanStart = connect.variableHeader().isCleanSession();
        Duration requestedExpiry = v5 ? Duration.ofSeconds(Integer.toUnsignedLong(intProperty(properties, MqttPropertyType.SESSION_EXPIRY_INTERVAL, 0)))
                : cleanStart ? Duration.ZERO : core.limits.maxSessionExpiry();
        // Sessions are kept at most maxSessionExpiry (AWS: 1 hour), "never" (0xFFFFFFFF) included; an MQTT 5 client is
        // told the interval actually used in CONNACK (MQTT 5 §3.2.2.3.2).
        Duration expiry = cappedSessionExpiry(requestedExpiry);
        lowerSessionExpiry = v5 && expiry.compareTo(requestedExpiry) < 0 ? expiry : null;
        boolean assigned = false;
        if (requestedId == null || requestedId.isEmpty()) {
            if (!v5 && !cleanStart) {
                // MQTT-3.1.3-8: an empty client id needs a clean session in MQTT 3.1.1.
                refuseConnect(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "empty client id with cleanSession=0");
                return;
            }
            requestedId = "rampart-" + UUID.randomUUID();
            assigned = true;
        }
        if (!validClientId(requestedId)) {
            refuseConnect(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
                    : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "invalid client id");
            return;
        }
        if (principal == null) {
            refuseConnect(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                    : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, "not authenticated");
            return;
        }
        clientId = requestedId;
        Instant now = core.clock.instant();
        if (!core.admitConnect(clientId, now)) {
            core.counters.limitViolations.increment();
            refuseConnect(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_QUOTA_EXCEEDED
                    : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, "more than one CONNECT per "
                    + core.limits.minConnectInterval().toMillis() + " ms for this client id");
            return;
        }
        if (connect.variableHeader().isWillFlag()) {
            try {
                will = willMessage(connect, now);
            } catch (RampartException e) {
                refuseConnect(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_TOPIC_NAME_INVALID
                        : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, "will: " + e.getMessage());
                return;
            }
            if (will.topic().value().startsWith(AWS_RESERVED_PREFIX) && !core.reservedTopicServed(will.topic())) {
                refuseConnect(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                        : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, "will topic is reserved");
                return;
            }
        }
        if (v5) {
            if (properties.getProperty(MqttPropertyType.AUTHENTICATION_METHOD.value()) != null) {
                // MQTT 5 §4.12: enhanced authentication is not offered (as on AWS IoT: the client certificate is the
                // credential), and a method the server does not support is refused with 0x8C.
                refuseConnect(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD,
                        "enhanced authentication " + properties.getProperty(MqttPropertyType.AUTHENTICATION_METHOD.value()).value());
                return;
            }
            int receiveMaximum = intProperty(properties, MqttPropertyType.RECEIVE_MAXIMUM, 65_535);
            int maximumPacketSize = intProperty(properties, MqttPropertyType.MAXIMUM_PACKET_SIZE, -1);
            if (receiveMaximum == 0 || maximumPacketSize == 0) {
                // MQTT 5 §3.1.2.11.3 and §3.1.2.11.4: a Receive Maximum or Maximum Packet Size of 0 is a Protocol Error.
                refuseConnect(MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR,
                        (receiveMaximum == 0 ? "Receive Maximum" : "Maximum Packet Size") + " of 0");
                return;
            }
            sendWindow = Math.min(receiveMaximum, core.limits.maxInFlight());
            clientMaxPacketSize = maximumPacketSize == -1 ? Long.MAX_VALUE : Integer.toUnsignedLong(maximumPacketSize);
        } else {
            sendWindow = core.limits.maxInFlight();
        }
        int keepAlive = core.limits.effectiveKeepAliveSeconds(connect.variableHeader().keepAliveTimeSeconds());
        boolean keepAliveChanged = keepAlive != connect.variableHeader().keepAliveTimeSeconds();
        String assignedId = assigned ? clientId : null;

        List<Check> checks = new ArrayList<>(3);
        checks.add(new Check("iot:Connect", core.config.scope().arn("client", clientId)));
        if (will != null) {
            // AWS checks the will's permissions at CONNECT: a will the client could not publish is refused up front.
            checks.add(new Check("iot:Publish", core.config.scope().arn("topic", will.topic().value())));
            if (will.retain()) {
                checks.add(new Check("iot:RetainPublish", core.config.scope().arn("topic", will.topic().value())));
            }
        }
        Duration sessionExpiry = expiry;
        decide(checks, allowed -> {
            for (boolean ok : allowed) {
                if (!ok) {
                    refuseConnect(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                            : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, "not authorized");
                    return;
                }
            }
            accept(cleanStart, sessionExpiry, keepAlive, keepAliveChanged, assignedId);
        });
    }

    private void accept(boolean cleanStart, Duration expiry, int keepAlive, boolean keepAliveChanged, String assignedId) {
        if (state != State.CONNECTING) {
            return;
        }
        connectDeadline.cancel(false);
        identity = new ClientConnection(clientId, principal.id(), sourceIp, UUID.randomUUID().toString(), null);
        BrokerCore.Attached attached = core.attach(this, clientId, cleanStart, expiry);
        session = attached.session();
        afterStore(attached.durable(), failure -> {
            if (failure != null) {
                log.error("the broker store could not open the session of client {}", clientId, failure);
                refuseConnect(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, "session store unavailable");
                return;
            }
            connected(attached.present(), keepAlive, keepAliveChanged, assignedId);
        });
    }

    private void connected(boolean present, int keepAlive, boolean keepAliveChanged, String assignedId) {
        accepted = true;
        state = State.CONNECTED;
        ctx.pipeline().addBefore(ctx.name(), KEEP_ALIVE_HANDLER,
                new IdleStateHandler(keepAlive * 1500L, 0, 0, TimeUnit.MILLISECONDS));
        MqttProperties properties = MqttProperties.NO_PROPERTIES;
        if (v5) {
            properties = new MqttProperties();
            properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.RECEIVE_MAXIMUM.value(), core.limits.maxInFlight()));
            properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), core.limits.maxPacketBytes()));
            properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.TOPIC_ALIAS_MAXIMUM.value(), core.limits.topicAliasMaximum()));
            if (lowerSessionExpiry != null) {
                properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(),
                        (int) lowerSessionExpiry.toSeconds()));
            }
            if (keepAliveChanged) {
                properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.SERVER_KEEP_ALIVE.value(), keepAlive));
            }
            if (assignedId != null) {
                properties.add(new MqttProperties.StringProperty(MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value(), assignedId));
            }
        }
        ctx.writeAndFlush(connAck(MqttConnectReturnCode.CONNECTION_ACCEPTED, present, properties));
        core.lifecycle(new ConnectionEvent.Connected(identity, core.clock.instant(), present, core.nextVersionNumber()));
        resendInFlight();
        pump();
    }

    private Message willMessage(MqttConnectMessage connect, Instant now) {
        Topic topic = topic(connect.payload().willTopic());
        byte[] payload = connect.payload().willMessageInBytes();
        if (payload == null) {
            payload = new byte[0];
        }
        if (payload.length > core.limits.maxPayloadBytes()) {
            throw RampartException.invalidRequest("will payload of " + payload.length + " bytes exceeds "
                    + core.limits.maxPayloadBytes());
        }
        MqttProperties willProperties = connect.payload().willProperties();
        Instant expiresAt = null;
        if (v5) {
            willDelay = Duration.ofSeconds(Integer.toUnsignedLong(intProperty(willProperties, MqttPropertyType.WILL_DELAY_INTERVAL, 0)));
            int expiry = intProperty(willProperties, MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL, -1);
            if (expiry != -1) {
                expiresAt = now.plusSeconds(Integer.toUnsignedLong(expiry));
            }
        }
        return new Message(topic, payload, QoS.of(connect.variableHeader().willQos()), connect.variableHeader().isWillRetain(),
                expiresAt, v5 ? messageProperties(willProperties) : MessageProperties.NONE);
    }

    private Duration cappedSessionExpiry(Duration requested) {
        return requested.compareTo(core.limits.maxSessionExpiry()) > 0 ? core.limits.maxSessionExpiry() : requested;
    }

    private boolean validClientId(String id) {
        if (ByteBufUtil.utf8Bytes(id) > core.limits.maxClientIdBytes()) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            // U+FFFD: Netty's decoder replaced ill-formed UTF-8 (MQTT-1.5.4-1); U+0000 is forbidden (MQTT-1.5.4-2).
            if (c < 0x20 || c == 0xFFFD || (c >= 0x7f && c <= 0x9f) || Character.isSurrogate(c) && !validSurrogate(id, i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    private void refuseConnect(MqttConnectReturnCode code, String why) {
        core.counters.connectsRefused.increment();
        log.info("CONNECT from {} (client id '{}') refused: {} ({})", sourceIp, clientId, why, code);
        state = State.CLOSED;
        closeReason = DisconnectReason.AUTH_ERROR;
        if (!v5 && (code.byteValue() & 0xFF) > 5) {
            code = MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
        }
        ctx.writeAndFlush(connAck(code, false, MqttProperties.NO_PROPERTIES)).addListener(ChannelFutureListener.CLOSE);
    }

    // ---- PUBLISH from the client --------------------------------------------------------------------------

    private void publish(MqttPublishMessage packet) {
        MqttPublishVariableHeader header = packet.variableHeader();
        int qos = packet.fixedHeader().qosLevel().value();
        int packetId = header.packetId();
        if (qos == 3) {
            violation("PUBLISH with QoS 3 (MQTT-3.3.1-4)", 0x81);
            return;
        }
        String topicName = header.topicName();
        if (v5) {
            // Aliases are resolved before any other check: a PUBLISH refused later (rate, authorization) still set its
            // alias, and the client's next PUBLISH may rely on it.
            topicName = resolveTopicAlias(header);
            if (topicName == null) {
                return;
            }
            if (qos > 0 && !(qos == 2 && session.inboundQos2Contains(packetId))
                    && inboundUnacknowledged() >= core.limits.maxInFlight()) {
                // MQTT-3.3.4-7 (the client must not exceed the Receive Maximum in our CONNACK); MQTT 5 §4.9: the server
                // answers a client that does with DISCONNECT 0x93 Receive Maximum exceeded.
                core.counters.limitViolations.increment();
                violation("more than " + core.limits.maxInFlight() + " unacknowledged QoS 1/2 PUBLISHes", 0x93);
                return;
            }
        }
        if (!withinPublishRate()) {
            core.counters.limitViolations.increment();
            if (v5 && qos > 0) {
                acknowledgePublish(qos, packetId, 0x97);
            } else if (qos > 0) {
                // MQTT 3.1.1 has no negative acknowledgement: not acknowledging a message we will not deliver is
                // the only honest answer, and a throttled client reconnects and re-sends it.
                serverDisconnect(0x97, DisconnectReason.THROTTLED, "more than " + core.limits.maxPublishesPerSecond() + " PUBLISH/s");
            } else {
                core.counters.messagesDropped.increment();
            }
            return;
        }
        Topic topic;
        try {
            topic = topic(topicName);
        } catch (RampartException e) {
            core.counters.limitViolations.increment();
            violation("PUBLISH topic refused: " + e.getMessage(), 0x90);
            return;
        }
        int payloadBytes = packet.content().readableBytes();
        if (payloadBytes > core.limits.maxPayloadBytes()) {
            core.counters.limitViolations.increment();
            violation("payload of " + payloadBytes + " bytes exceeds " + core.limits.maxPayloadBytes(), 0x95);
            return;
        }
        if (qos == 2 && session.inboundQos2Contains(packetId)) {
            // A re-sent QoS 2 PUBLISH already routed (method A): acknowledge again (after the first PUBREC, if that
            // still waits for the store), do not route twice.
            acknowledgePublish(qos, packetId, 0);
            return;
        }
        Instant now = core.clock.instant();
        Message message = new Message(topic, ByteBufUtil.getBytes(packet.content()), QoS.of(qos),
                packet.fixedHeader().isRetain(), expiresAt(header.properties(), now),
                v5 ? messageProperties(header.properties()) : MessageProperties.NONE);
        if (topic.value().startsWith(AWS_RESERVED_PREFIX) && !core.reservedTopicServed(topic)) {
            // Devices publish into $aws/ only where a service listens (AWS behaviour); elsewhere it is a denial.
            denied("iot:Publish", core.config.scope().arn("topic", topic.value()));
            publishDenied(qos, packetId, topic);
            return;
        }
        List<Check> checks = new ArrayList<>(2);
        String arn = core.config.scope().arn("topic", topic.value());
        checks.add(new Check("iot:Publish", arn));
        if (message.retain()) {
            checks.add(new Check("iot:RetainPublish", arn));
        }
        decide(checks, allowed -> {
            for (boolean ok : allowed) {
                if (!ok) {
                    publishDenied(qos, packetId, topic);
                    return;
                }
            }
            core.counters.messagesReceived.increment();
            core.counters.payloadBytesReceived.add(message.payload().length);
            InboundPacket inbound = null;
            if (qos == 2) {
                session.inboundQos2Add(packetId);
                if (session.stored) {
                    // Recorded with the message in one transaction: a DUP re-send after a crash is not routed twice.
                    inbound = new InboundPacket(clientId, packetId);
                }
            }
            CompletableFuture<Void> durable = core.route(message, new Origin.Client(identity), clientId, inbound);
            if (qos == 0) {
                durable.whenComplete((ok, failure) -> {
                    if (failure != null) {
                        log.warn("a QoS 0 retained message of client {} is not durable: {}", clientId, failure.getMessage());
                    }
                });
                return;
            }
            reply(durable, qos == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC, packetId, 0);
        });
    }

    /**
     * The topic of an MQTT 5 PUBLISH after its Topic Alias (MQTT 5 §3.3.2.3.4), or null when the packet broke the alias
     * rules and the connection is being closed. Aliases live only as long as this connection (MQTT-3.3.2-7).
     */
    private String resolveTopicAlias(MqttPublishVariableHeader header) {
        String topicName = header.topicName();
        boolean emptyTopic = topicName == null || topicName.isEmpty();
        MqttProperties.MqttProperty<?> alias = header.properties().getProperty(MqttPropertyType.TOPIC_ALIAS.value());
        if (alias == null) {
            if (emptyTopic) {
                // A zero-length topic name is only allowed with a Topic Alias (MQTT 5 §3.3.2.1).
                violation("PUBLISH with an empty topic and no topic alias", 0x82);
                return null;
            }
            return topicName;
        }
        int value = (Integer) alias.value();
        if (value == 0 || value > core.limits.topicAliasMaximum()) {
            // MQTT-3.3.2-8 (0 is not an alias) and MQTT-3.3.2-9 (at most the Topic Alias Maximum of our CONNACK).
            violation("topic alias " + value + " outside 1.." + core.limits.topicAliasMaximum(), 0x94);
            return null;
        }
        if (!emptyTopic) {
            topicAliases.put(value, topicName);
            return topicName;
        }
        String mapped = topicAliases.get(value);
        if (mapped == null) {
            // MQTT 5 §3.3.2.3.4: using an alias the receiver has no mapping for is a Protocol Error.
            violation("unknown topic alias " + value, 0x82);
        }
        return mapped;
    }

    /**
     * QoS 1/2 PUBLISHes of this client not yet answered with PUBACK or PUBCOMP (MQTT 5 §4.9): QoS 1 is acknowledged
     * as soon as it is handled, so these are the QoS 2 packet ids waiting for their PUBREL.
     */
    private int inboundUnacknowledged() {
        // QoS 1 PUBLISHes whose PUBACK waits for the store count too (MQTT-3.3.4-7 counts until PUBACK).
        return session.inboundQos2Count() + pubAcksWaiting;
    }

    private void publishDenied(int qos, int packetId, Topic topic) {
        if (v5) {
            if (qos > 0) {
                acknowledgePublish(qos, packetId, 0x87);
            }
            log.info("client {} may not publish to {}", clientId, topic);
            return;
        }
        // AWS IoT closes an MQTT 3.1.1 connection that publishes where its policy does not allow.
        log.info("client {} may not publish to {}; closing (MQTT 3.1.1)", clientId, topic);
        closeReason = DisconnectReason.FORBIDDEN_ACCESS;
        ctx.close();
    }

    private void acknowledgePublish(int qos, int packetId, int reasonCode) {
        if (qos == 0) {
            return;
        }
        MqttMessageType type = qos == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC;
        reply(CompletableFuture.completedFuture(null), type, packetId, reasonCode);
    }

    /**
     * Sends a PUBACK, PUBREC or PUBCOMP for {@code packetId} once {@code durable} completes, after every reply queued
     * before it (MQTT-4.6.0-2).
     */
    private void reply(CompletableFuture<Void> durable, MqttMessageType type, int packetId, int reasonCode) {
        replies.add(new Reply(durable, type, packetId, reasonCode));
        if (type == MqttMessageType.PUBACK) {
            pubAcksWaiting++;
        }
        if (durable.isDone()) {
            sendReplies();
        } else {
            durable.whenComplete((ok, failure) -> ctx.executor().execute(this::sendReplies));
        }
    }

    /** One reply waiting for the store; {@code reasonCode} is sent when the write succeeded. */
    private record Reply(CompletableFuture<Void> durable, MqttMessageType type, int packetId, int reasonCode) {
    }

    /** Sends the replies at the head of {@link #replies} whose writes are done, in order. */
    private void sendReplies() {
        boolean wrote = false;
        Reply head;
        while ((head = replies.peek()) != null && head.durable().isDone()) {
            replies.poll();
            if (head.type() == MqttMessageType.PUBACK) {
                pubAcksWaiting--;
            }
            if (state == State.CLOSED) {
                continue;
            }
            int reason = head.reasonCode();
            if (head.durable().isCompletedExceptionally()) {
                Throwable failure = failureOf(head.durable());
                if (!storeRefused(head, failure)) {
                    replies.clear();
                    pubAcksWaiting = 0;
                    break;
                }
                // MQTT 5: 0x97 Quota exceeded when the store is saturated, else 0x80 Unspecified error.
                reason = failure instanceof RampartException r && r.type() == ErrorType.THROTTLING ? 0x97 : 0x80;
            }
            ctx.write(new MqttMessage(fixed(head.type(), MqttQoS.AT_MOST_ONCE),
                    new MqttPubReplyMessageVariableHeader(head.packetId(), (byte) reason, MqttProperties.NO_PROPERTIES)));
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
    }

    /**
     * The store could not make a PUBLISH or PUBREL durable, so it must not be acknowledged as such. MQTT 5 gets a
     * negative reply (true); MQTT 3.1.1 has none, so the connection is closed (false) and the client re-sends.
     */
    private boolean storeRefused(Reply reply, Throwable failure) {
        log.warn("not acknowledging packet {} of client {} as durable: {}", reply.packetId(), clientId, failure.getMessage());
        core.counters.messagesDropped.increment();
        if (reply.type() == MqttMessageType.PUBREC) {
            // The exchange ends with the negative PUBREC (or the close): a new PUBLISH with this id is a new message.
            session.inboundQos2Remove(reply.packetId());
        }
        if (v5 && reply.type() != MqttMessageType.PUBCOMP) {
            return true;
        }
        serverDisconnect(0x80, DisconnectReason.SERVER_ERROR, "broker store unavailable");
        return false;
    }

    private boolean withinPublishRate() {
        long second = core.clock.millis() / 1000;
        if (second != publishWindowStart) {
            publishWindowStart = second;
            publishesInWindow = 0;
        }
        return ++publishesInWindow <= core.limits.maxPublishesPerSecond();
    }

    private void inboundReleased(int packetId) {
        boolean known = session.inboundQos2Remove(packetId);
        // A stored packet id is forgotten durably before PUBCOMP: else, after a crash, the client's next PUBLISH with
        // this id would be taken for a re-send and dropped.
        CompletableFuture<Void> durable = known && session.stored
                ? core.store.releaseInbound(clientId, packetId) : CompletableFuture.completedFuture(null);
        // MQTT 5: 0x92 "Packet Identifier not found" when there was nothing to release.
        reply(durable, MqttMessageType.PUBCOMP, packetId, known || !v5 ? 0 : 0x92);
    }

    // ---- SUBSCRIBE / UNSUBSCRIBE --------------------------------------------------------------------------

    private void subscribe(MqttSubscribeMessage packet) {
        int packetId = packet.idAndPropertiesVariableHeader().messageId();
        MqttProperties properties = packet.idAndPropertiesVariableHeader().properties();
        int subscriptionId = intProperty(properties, MqttPropertyType.SUBSCRIPTION_IDENTIFIER, 0);
        if (subscriptionId == 0 && properties.getProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value()) != null) {
            // MQTT 5 §3.8.2.1.2: a Subscription Identifier of 0 is a Protocol Error.
            violation("subscription identifier 0", 0x82);
            return;
        }
        List<MqttTopicSubscription> requested = packet.payload().topicSubscriptions();
        int[] codes = new int[requested.size()];
        TopicFilter[] filters = new TopicFilter[requested.size()];
        SubscriptionOptions[] options = new SubscriptionOptions[requested.size()];
        List<Check> checks = new ArrayList<>();
        List<Integer> checked = new ArrayList<>();
        int held = core.index.subscriptionsOf(clientId).size();
        for (int i = 0; i < requested.size(); i++) {
            MqttTopicSubscription subscription = requested.get(i);
            MqttSubscriptionOption option = subscription.option();
            try {
                filters[i] = TopicFilter.of(checkedString(subscription.topicFilter()), core.topicLimits);
            } catch (RampartException e) {
                core.counters.limitViolations.increment();
                log.info("client {} subscribed to an invalid filter: {}", clientId, e.getMessage());
                codes[i] = v5 ? 0x8F : 0x80;
                continue;
            }
            if (filters[i].isShared() && option.isNoLocal()) {
                violation("no-local on a shared subscription (MQTT-3.8.3-4)", 0x82);
                return;
            }
            if (held >= core.limits.maxSubscriptionsPerConnection()
                    && !core.index.subscriptionsOf(clientId).containsKey(filters[i])) {
                core.counters.limitViolations.increment();
                codes[i] = v5 ? 0x97 : 0x80;
                continue;
            }
            held++;
            QoS granted = QoS.of(Math.min(option.qos().value(), 2));
            options[i] = new SubscriptionOptions(granted, option.isNoLocal(), option.isRetainAsPublished(),
                    RetainHandling.values()[option.retainHandling().value()], subscriptionId);
            checks.add(new Check("iot:Subscribe", core.config.scope().arn("topicfilter", filters[i].value())));
            checked.add(i);
        }
        decide(checks, allowed -> {
            List<TopicFilter> granted = new ArrayList<>();
            List<Integer> grantedAt = new ArrayList<>();
            boolean[] existedBefore = new boolean[requested.size()];
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            List<Runnable> retainedSends = new ArrayList<>();
            for (int k = 0; k < allowed.length; k++) {
                int i = checked.get(k);
                if (!allowed[k]) {
                    // AWS IoT answers a denied filter with 0x80 (3.1.1) or 0x87 Not authorized (5).
                    codes[i] = v5 ? 0x87 : 0x80;
                    continue;
                }
                boolean existed = core.index.subscribe(clientId, filters[i], options[i]).isPresent();
                existedBefore[i] = existed;
                if (session.stored) {
                    writes.add(core.store.subscribe(clientId, filters[i], options[i]));
                }
                codes[i] = options[i].qos().value();
                granted.add(filters[i]);
                grantedAt.add(i);
                RetainHandling handling = options[i].retainHandling();
                // MQTT-3.3.1-9..11 (retain handling 0, 1, 2); retained messages go to non-shared subscriptions only
                // (MQTT 5 §3.3.1.3).
                if (!filters[i].isShared() && (handling == RetainHandling.SEND_ON_SUBSCRIBE
                        || handling == RetainHandling.SEND_IF_NEW_SUBSCRIPTION && !existed)) {
                    TopicFilter filter = filters[i];
                    SubscriptionOptions option = options[i];
                    retainedSends.add(() -> sendRetained(filter, option));
                }
            }
            // A persistent session's subscriptions are durable before SUBACK.
            afterStore(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)), failure -> {
                if (failure != null) {
                    // 0x80: Failure (3.1.1), Unspecified error (5). A filter that was new is taken back; one that
                    // existed keeps its new options in memory until the session ends.
                    log.warn("the broker store could not keep the subscriptions of client {}: {}", clientId, failure.getMessage());
                    for (int i : grantedAt) {
                        codes[i] = 0x80;
                        if (!existedBefore[i]) {
                            core.index.unsubscribe(clientId, filters[i]);
                        }
                    }
                    granted.clear();
                    retainedSends.clear();
                }
                MqttProperties none = MqttProperties.NO_PROPERTIES;
                ctx.writeAndFlush(new MqttSubAckMessage(fixed(MqttMessageType.SUBACK, MqttQoS.AT_MOST_ONCE),
                        new MqttMessageIdAndPropertiesVariableHeader(packetId, none), new MqttSubAckPayload(codes)));
                // Retained messages follow the SUBACK, so the client sees its subscription granted before they arrive.
                retainedSends.forEach(Runnable::run);
                if (!granted.isEmpty()) {
                    core.lifecycle(new ConnectionEvent.Subscribed(identity, core.clock.instant(), granted));
                }
            });
        });
    }

    /**
     * Runs {@code then} on the event loop with the failure of {@code write} (null when it committed); when the write
     * is still pending, reading pauses until it completes, so later packets are handled after {@code then}.
     */
    private void afterStore(CompletableFuture<?> write, Consumer<Throwable> then) {
        if (write.isDone()) {
            then.accept(failureOf(write));
            return;
        }
        busy = true;
        write.whenComplete((ok, failure) -> ctx.executor().execute(() -> {
            busy = false;
            if (state == State.CLOSED) {
                return;
            }
            then.accept(failureOf(write));
            drainWaiting();
        }));
    }

    private static Throwable failureOf(CompletableFuture<?> done) {
        return done.handle((ok, e) -> e instanceof CompletionException c ? c.getCause() : e).join();
    }

    private void sendRetained(TopicFilter filter, SubscriptionOptions options) {
        for (Message message : core.retainedMatching(filter, core.clock.instant())) {
            // Retained messages sent because of a subscription keep RETAIN=1 (MQTT-3.3.1-9).
            Message delivered = message.withQos(message.qos().min(options.qos())).withRetain(true);
            core.offer(session, new Outbound(delivered,
                    options.hasSubscriptionIdentifier() ? List.of(options.subscriptionIdentifier()) : List.of()));
        }
    }

    private void unsubscribe(MqttUnsubscribeMessage packet) {
        int packetId = packet.idAndPropertiesVariableHeader().messageId();
        List<String> topics = packet.payload().topics();
        short[] codes = new short[topics.size()];
        List<TopicFilter> removed = new ArrayList<>();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < topics.size(); i++) {
            TopicFilter filter;
            try {
                filter = TopicFilter.of(checkedString(topics.get(i)), core.topicLimits);
            } catch (RampartException e) {
                codes[i] = 0x8F;
                continue;
            }
            if (core.index.unsubscribe(clientId, filter)) {
                removed.add(filter);
                codes[i] = 0x00;
                if (session.stored) {
                    writes.add(core.store.unsubscribe(clientId, filter));
                }
            } else {
                codes[i] = 0x11;
            }
        }
        afterStore(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)), failure -> {
            if (failure != null) {
                // Gone from memory, so nothing is delivered for it now; it may come back after a restart.
                log.warn("the broker store could not remove subscriptions of client {}: {}", clientId, failure.getMessage());
            }
            MqttFixedHeader header = fixed(MqttMessageType.UNSUBACK, MqttQoS.AT_MOST_ONCE);
            MqttMessageIdAndPropertiesVariableHeader variable = new MqttMessageIdAndPropertiesVariableHeader(packetId,
                    MqttProperties.NO_PROPERTIES);
            ctx.writeAndFlush(v5 ? new MqttUnsubAckMessage(header, variable, new MqttUnsubAckPayload(codes))
                    : new MqttUnsubAckMessage(header, MqttMessageIdVariableHeader.from(packetId)));
            if (!removed.isEmpty()) {
                core.lifecycle(new ConnectionEvent.Unsubscribed(identity, core.clock.instant(), removed));
            }
        });
    }

    // ---- delivery to the client ---------------------------------------------------------------------------

    /** New messages are queued for this connection's session; pumps them on the event loop (any thread). */
    void wakeUp() {
        // Under fan-in many publishers wake one subscriber at once: one scheduled pump serves them all.
        if (wakeScheduled.compareAndSet(false, true)) {
            ctx.executor().execute(() -> {
                wakeScheduled.set(false);
                pump();
            });
        }
    }

    /**
     * Sends queued messages while the window allows. Each needs {@code iot:Receive} on its topic; a decision not in
     * the cache is asked for on the executor and the pump stops until it is known, so order is kept.
     */
    private void pump() {
        if (state != State.CONNECTED || awaitingSendRecord) {
            return;
        }
        Instant now = core.clock.instant();
        boolean wrote = false;
        synchronized (session) {
            if (!awaitingResend.isEmpty() && session.connection == this) {
                wrote = resendAwaiting(now);
                if (!awaitingResend.isEmpty()) {
                    ctx.flush();
                    return; // new messages go after the held-back re-sends (MQTT-4.6.0-1: order is kept)
                }
            }
            while (!session.queue.isEmpty() && session.connection == this) {
                Outbound next = session.queue.peek();
                Message message = next.message();
                boolean needsWindow = message.qos() != QoS.AT_MOST_ONCE;
                if (needsWindow && session.inFlight.size() >= sendWindow) {
                    break;
                }
                if (message.isExpired(now)) {
                    forget(session.queue.poll());
                    core.counters.messagesDropped.increment();
                    continue;
                }
                String arn = core.config.scope().arn("topic", message.topic().value());
                Boolean allowed = decisions.get("iot:Receive", arn);
                if (allowed == null) {
                    askReceive(arn);
                    break;
                }
                session.queue.poll();
                if (!allowed) {
                    forget(next);
                    denied("iot:Receive", arn);
                    core.counters.messagesDropped.increment();
                    continue;
                }
                int packetId = 0;
                if (needsWindow) {
                    packetId = session.nextPacketId();
                    session.inFlight.put(packetId, new Session.InFlight(next));
                }
                if (message.qos() == QoS.EXACTLY_ONCE && next.stored()) {
                    // MQTT-4.4.0-1: after a crash this PUBLISH is re-sent with the same packet id (DUP=1), so the
                    // id is made durable before it is sent; the pump waits so that deliveries keep their order.
                    awaitingSendRecord = true;
                    int id = packetId;
                    core.store.markSent(session.clientId, next.messageId(), packetId).whenComplete((ok, failure) ->
                            ctx.executor().execute(() -> sendRecorded(next, id, failure)));
                    break;
                }
                wrote |= send(next, packetId, false, now);
            }
        }
        if (wrote) {
            ctx.flush();
        }
    }

    /** Sends a QoS 2 delivery whose packet id the store recorded (or failed to: then it is sent anyway, logged). */
    private void sendRecorded(Outbound outbound, int packetId, Throwable failure) {
        awaitingSendRecord = false;
        if (failure != null) {
            log.warn("the broker store could not record packet {} to client {}; sending it anyway: {}", packetId, clientId,
                    failure.getMessage());
        }
        if (state != State.CONNECTED) {
            // Still in flight in the session: re-sent with DUP=1 when the client resumes it.
            return;
        }
        synchronized (session) {
            Session.InFlight entry = session.inFlight.get(packetId);
            if (session.connection == this && entry != null && entry.outbound == outbound
                    && send(outbound, packetId, false, core.clock.instant())) {
                ctx.flush();
            }
        }
        pump();
    }

    /** A stored delivery that will not be sent (expired, not authorized, too large): out of the store's queue too. */
    private void forget(Outbound outbound) {
        if (outbound.stored()) {
            BrokerCore.logFailure(core.store.acknowledge(session.clientId, outbound.messageId()), "drop a message of", session.clientId);
        }
    }

    private void askReceive(String arn) {
        if (!pendingReceiveDecisions.add(arn)) {
            return;
        }
        long askedAt = decisions.generation();
        ask(new Check("iot:Receive", arn)).whenComplete((allowed, failure) -> ctx.executor().execute(() -> {
            pendingReceiveDecisions.remove(arn);
            decisions.put("iot:Receive", arn, allowed != null && allowed, askedAt);
            pump();
        }));
    }

    private boolean send(Outbound outbound, int packetId, boolean dup, Instant now) {
        Message message = outbound.message();
        MqttProperties properties = MqttProperties.NO_PROPERTIES;
        if (v5) {
            properties = outboundProperties(outbound, now);
        }
        if (tooLargeForClient(outbound)) {
            // MQTT-3.1.2-25: a message larger than the client's Maximum Packet Size is discarded as if delivered.
            session.inFlight.remove(packetId);
            forget(outbound);
            return false;
        }
        MqttQoS qos = MqttQoS.valueOf(message.qos().value());
        ctx.write(new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, dup, qos, message.retain(), 0),
                new MqttPublishVariableHeader(message.topic().value(), packetId, properties),
                Unpooled.wrappedBuffer(message.payload())));
        core.counters.messagesSent.increment();
        core.counters.payloadBytesSent.add(message.payload().length);
        return true;
    }

    /** MQTT-3.1.2-24: never send a packet over the client's Maximum Packet Size; counts the drop when it would be. */
    private boolean tooLargeForClient(Outbound outbound) {
        if (clientMaxPacketSize == Long.MAX_VALUE) {
            return false;
        }
        Message message = outbound.message();
        long size = PublishSize.of(message, v5, message.expiresAt() != null, outbound.subscriptionIdentifiers());
        if (size <= clientMaxPacketSize) {
            return false;
        }
        core.counters.messagesDropped.increment();
        log.debug("not sending {} bytes on {} to client {}: its Maximum Packet Size is {}", size, message.topic(), clientId,
                clientMaxPacketSize);
        return true;
    }

    /**
     * MQTT-4.4.0-1: on a resumed session, unacknowledged PUBLISHes (DUP=1) and PUBRELs are sent again, in order and
     * with their original packet ids. PUBRELs go at once (MQTT-3.3.4-10: only PUBLISH waits for the window); a PUBLISH
     * beyond the client's Receive Maximum, which may be smaller than on the last connection, waits in
     * {@link #awaitingResend} until acknowledgements make room (MQTT-3.3.4-9).
     */
    private void resendInFlight() {
        Instant now = core.clock.instant();
        boolean wrote = false;
        synchronized (session) {
            int outstanding = 0;
            for (Iterator<Map.Entry<Integer, Session.InFlight>> it = session.inFlight.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Integer, Session.InFlight> entry = it.next();
                Session.InFlight inFlight = entry.getValue();
                if (inFlight.released) {
                    ctx.write(pubRel(entry.getKey()));
                    outstanding++;
                    wrote = true;
                } else if (tooLargeForClient(inFlight.outbound)) {
                    // The client reconnected with a smaller Maximum Packet Size (MQTT-3.1.2-25, as in send); the store
                    // forgets it too, or a restart would deliver it again.
                    it.remove();
                    forget(inFlight.outbound);
                } else if (outstanding < sendWindow && awaitingResend.isEmpty()) {
                    resend(entry.getKey(), inFlight, now);
                    outstanding++;
                    wrote = true;
                } else {
                    awaitingResend.add(entry.getKey());
                }
            }
        }
        if (wrote) {
            ctx.flush();
        }
    }

    /** Re-sends deliveries held back by {@link #resendInFlight} while the window has room; call with the monitor held. */
    private boolean resendAwaiting(Instant now) {
        boolean wrote = false;
        Integer packetId;
        while (session.inFlight.size() - awaitingResend.size() < sendWindow && (packetId = awaitingResend.poll()) != null) {
            Session.InFlight inFlight = session.inFlight.get(packetId);
            if (inFlight != null) {
                resend(packetId, inFlight, now);
                wrote = true;
            }
        }
        return wrote;
    }

    private void resend(int packetId, Session.InFlight inFlight, Instant now) {
        Message message = inFlight.outbound.message();
        ctx.write(new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, true,
                MqttQoS.valueOf(message.qos().value()), message.retain(), 0),
                new MqttPublishVariableHeader(message.topic().value(), packetId,
                        v5 ? outboundProperties(inFlight.outbound, now) : MqttProperties.NO_PROPERTIES),
                Unpooled.wrappedBuffer(message.payload())));
    }

    private void outboundAcknowledged(int packetId, boolean complete) {
        synchronized (session) {
            Session.InFlight entry = session.inFlight.get(packetId);
            if (entry == null) {
                return;
            }
            boolean qos2 = entry.outbound.message().qos() == QoS.EXACTLY_ONCE;
            if (qos2 != complete) {
                return;
            }
            session.inFlight.remove(packetId);
            if (entry.outbound.stored()) {
                // Not waited for: if it is lost in a crash the message is sent again, which QoS 1 allows and QoS 2
                // answers with PUBREL again.
                BrokerCore.logFailure(core.store.acknowledge(session.clientId, entry.outbound.messageId()),
                        "acknowledge a delivery to", session.clientId);
            }
        }
        pump();
    }

    private void outboundReceived(MqttMessage pubRec) {
        int packetId = packetId(pubRec);
        int reason = v5 && pubRec.variableHeader() instanceof MqttPubReplyMessageVariableHeader header
                ? header.reasonCode() & 0xFF : 0;
        boolean refused = reason >= 0x80;
        synchronized (session) {
            Session.InFlight entry = session.inFlight.get(packetId);
            if (entry == null) {
                ctx.writeAndFlush(pubRel(packetId, v5 ? 0x92 : 0));
                return;
            }
            if (refused) {
                // MQTT 5 §4.3.3: a PUBREC with a failure reason ends the exchange (no PUBREL), and the delivery no
                // longer counts against the client's Receive Maximum (MQTT-3.3.4-9).
                session.inFlight.remove(packetId);
                forget(entry.outbound);
            } else if (entry.outbound.stored()) {
                entry.released = true;
                // The PUBREL state is durable before PUBREL leaves: after a crash, re-sending PUBLISH instead would
                // be taken by the client for a new message (MQTT-4.4.0-1).
                CompletableFuture<Void> durable = core.store.markReleased(session.clientId, entry.outbound.messageId());
                durable.whenComplete((ok, failure) -> ctx.executor().execute(() -> {
                    if (failure != null) {
                        log.warn("the broker store could not record PUBREC {} of client {}: {}", packetId, clientId,
                                failure.getMessage());
                    }
                    if (state == State.CONNECTED) {
                        ctx.writeAndFlush(pubRel(packetId));
                    }
                }));
                return;
            } else {
                entry.released = true;
            }
        }
        if (refused) {
            pump();
            return;
        }
        ctx.writeAndFlush(pubRel(packetId));
    }

    private static MqttMessage pubRel(int packetId) {
        return pubRel(packetId, 0);
    }

    private static MqttMessage pubRel(int packetId, int reason) {
        return new MqttMessage(new MqttFixedHeader(MqttMessageType.PUBREL, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                new MqttPubReplyMessageVariableHeader(packetId, (byte) reason, MqttProperties.NO_PROPERTIES));
    }

    /** The MQTT 5 properties of a delivery at {@code now}; {@link PublishSize} must count exactly these. */
    static MqttProperties outboundProperties(Outbound outbound, Instant now) {
        Message message = outbound.message();
        MessageProperties p = message.properties();
        MqttProperties properties = new MqttProperties();
        Duration remaining = message.remainingExpiry(now);
        if (remaining != null) {
            // MQTT-3.3.2-6: forward the expiry minus the time the message waited here.
            properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value(),
                    (int) Math.min(remaining.toSeconds(), 0xFFFF_FFFFL)));
        }
        if (p.payloadUtf8()) {
            properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value(), 1));
        }
        if (p.contentType() != null) {
            properties.add(new MqttProperties.StringProperty(MqttPropertyType.CONTENT_TYPE.value(), p.contentType()));
        }
        if (p.responseTopic() != null) {
            properties.add(new MqttProperties.StringProperty(MqttPropertyType.RESPONSE_TOPIC.value(), p.responseTopic().value()));
        }
        if (p.correlationData() != null) {
            properties.add(new MqttProperties.BinaryProperty(MqttPropertyType.CORRELATION_DATA.value(), p.correlationData()));
        }
        if (!p.userProperties().isEmpty()) {
            MqttProperties.UserProperties users = new MqttProperties.UserProperties();
            for (UserProperty user : p.userProperties()) {
                users.add(user.name(), user.value());
            }
            properties.add(users);
        }
        for (int id : outbound.subscriptionIdentifiers()) {
            properties.add(new MqttProperties.IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value(), id));
        }
        return properties;
    }

    // ---- authorization ------------------------------------------------------------------------------------

    private record Check(String action, String resource) {
    }

    /**
     * Runs {@code then} with one verdict per check, on the event loop: at once when every decision is cached,
     * otherwise after the missing ones were computed on the executor (reading pauses meanwhile).
     */
    private void decide(List<Check> checks, Consumer<boolean[]> then) {
        long askedAt = decisions.generation();
        boolean[] verdicts = new boolean[checks.size()];
        List<CompletableFuture<Boolean>> missing = null;
        List<Integer> missingAt = null;
        for (int i = 0; i < checks.size(); i++) {
            Check check = checks.get(i);
            Boolean cached = decisions.get(check.action(), check.resource());
            if (cached != null) {
                verdicts[i] = cached;
                continue;
            }
            if (missing == null) {
                missing = new ArrayList<>();
                missingAt = new ArrayList<>();
            }
            missing.add(ask(check));
            missingAt.add(i);
        }
        if (missing == null) {
            countDenials(checks, verdicts);
            then.accept(verdicts);
            return;
        }
        busy = true;
        List<CompletableFuture<Boolean>> asked = missing;
        List<Integer> positions = missingAt;
        CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).whenComplete((ignored, failure) ->
                ctx.executor().execute(() -> {
                    for (int k = 0; k < asked.size(); k++) {
                        int i = positions.get(k);
                        boolean allowed = asked.get(k).join();
                        decisions.put(checks.get(i).action(), checks.get(i).resource(), allowed, askedAt);
                        verdicts[i] = allowed;
                    }
                    busy = false;
                    if (state == State.CLOSED) {
                        return;
                    }
                    countDenials(checks, verdicts);
                    then.accept(verdicts);
                    drainWaiting();
                }));
    }

    private void countDenials(List<Check> checks, boolean[] verdicts) {
        for (int i = 0; i < verdicts.length; i++) {
            if (!verdicts[i]) {
                denied(checks.get(i).action(), checks.get(i).resource());
            }
        }
    }

    /** Counts a policy denial and reports it as a security event (cached denials too: each one is an attempt). */
    private void denied(String action, String resource) {
        core.counters.denied(action);
        core.security(new SecurityEvent.AuthorizationDenied(core.clock.instant(), sourceIp, principal.id(), clientId,
                action, resource));
    }

    /** Asks the authorizer on the executor; a failure denies (fail closed) and is logged. Never completes exceptionally. */
    private CompletableFuture<Boolean> ask(Check check) {
        AuthorizationQuery query = new AuthorizationQuery(principal, clientId, sourceIp, check.action(), check.resource());
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        try {
            core.blocking.execute(() -> {
                try {
                    Decision decision = core.authorizer.authorize(query);
                    result.complete(decision.isAllowed());
                } catch (RuntimeException e) {
                    log.error("authorizer failed for {} {} of client {}; denying", check.action(), check.resource(), clientId, e);
                    result.complete(false);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.complete(false);
        }
        return result;
    }

    private void drainWaiting() {
        MqttMessage next;
        while (!busy && state != State.CLOSED && (next = waiting.poll()) != null) {
            handle(next);
        }
        if (!busy && state != State.CLOSED) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Forgets cached decisions (policy, attachment or certificate change); any thread. */
    public void invalidateDecisions() {
        decisions.invalidate();
    }

    /** The certificate was revoked or deactivated: disconnect now; any thread. */
    public void revoke() {
        ctx.executor().execute(() -> serverDisconnect(0x87, DisconnectReason.AUTH_ERROR, "principal no longer authorized"));
    }

    /**
     * The broker is stopping: MQTT 5 clients are told so with DISCONNECT 0x8B Server shutting down, others are closed;
     * any thread. The returned future completes when the channel is closed.
     */
    public io.netty.util.concurrent.Future<Void> serverShuttingDown() {
        ctx.executor().execute(() -> serverDisconnect(0x8B, DisconnectReason.SERVER_INITIATED_DISCONNECT, "server shutting down"));
        return ctx.channel().closeFuture();
    }

    /** Another connection took this client id's session over (MQTT-3.1.4-3); any thread. */
    void takenOver() {
        ctx.executor().execute(() -> serverDisconnect(0x8E, DisconnectReason.DUPLICATE_CLIENTID, "session taken over"));
    }

    // ---- ending -------------------------------------------------------------------------------------------

    private void clientDisconnect(MqttMessage message) {
        int reason = 0;
        if (v5 && message.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader header) {
            reason = header.reasonCode() & 0xFF;
            MqttProperties.MqttProperty<?> expiry = header.properties().getProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value());
            if (expiry != null) {
                long seconds = Integer.toUnsignedLong((Integer) expiry.value());
                synchronized (session) {
                    if (session.expiry.isZero() && seconds > 0) {
                        // MQTT-3.14.2-2: a session that was to end cannot be made persistent at DISCONNECT.
                        violation("session expiry set at DISCONNECT after 0 at CONNECT", 0x82);
                        return;
                    }
                    session.expiry = cappedSessionExpiry(Duration.ofSeconds(seconds));
                }
            }
        }
        if (reason != 0x04) {
            // MQTT-3.14.4-3: a normal DISCONNECT discards the will; 0x04 "Disconnect with Will Message" keeps it.
            will = null;
        }
        clientInitiated = true;
        closeReason = DisconnectReason.CLIENT_INITIATED_DISCONNECT;
        state = State.CLOSED;
        ctx.close();
    }

    /** Closes with an MQTT 5 DISCONNECT carrying {@code reasonCode} when the client speaks MQTT 5 and is connected. */
    private void serverDisconnect(int reasonCode, DisconnectReason reason, String why) {
        if (state == State.CLOSED) {
            return;
        }
        log.info("disconnecting client {} from {}: {}", clientId, sourceIp, why);
        closeReason = reason;
        boolean sendPacket = v5 && state == State.CONNECTED;
        state = State.CLOSED;
        if (sendPacket) {
            ctx.writeAndFlush(new MqttMessage(fixed(MqttMessageType.DISCONNECT, MqttQoS.AT_MOST_ONCE),
                    new MqttReasonCodeAndPropertiesVariableHeader((byte) reasonCode, MqttProperties.NO_PROPERTIES)))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    /** A protocol violation: counted, logged, and the connection (only this one) closed. */
    private void violation(String why, int reasonCode) {
        core.counters.protocolViolations.increment();
        serverDisconnect(reasonCode, DisconnectReason.CLIENT_ERROR, why);
    }

    private void closed() {
        if (connectDeadline != null) {
            connectDeadline.cancel(false);
        }
        boolean wasConnected = accepted;
        state = State.CLOSED;
        core.unregister(this);
        MqttMessage pending;
        while ((pending = waiting.poll()) != null) {
            ReferenceCountUtil.release(pending);
        }
        if (!wasConnected) {
            if (session != null) {
                // Attached, but the store had not opened the session when the connection ended: no CONNACK was sent.
                core.detach(session, this);
            }
            return;
        }
        Message lastWill = will;
        will = null;
        if (lastWill != null) {
            publishWill(lastWill);
        }
        core.detach(session, this);
        DisconnectReason reason = closeReason == null ? DisconnectReason.CONNECTION_LOST : closeReason;
        core.lifecycle(new ConnectionEvent.Disconnected(identity, core.clock.instant(), clientInitiated, reason,
                core.nextVersionNumber()));
    }

    private void publishWill(Message lastWill) {
        Duration delay;
        synchronized (session) {
            if (session.connection != this) {
                // Taken over: a new connection for this client id opened before the will delay passed, so a delayed
                // will is not sent; an undelayed one is due now (MQTT-3.1.2-8).
                if (!willDelay.isZero()) {
                    return;
                }
                delay = Duration.ZERO;
            } else {
                // Sent when the delay passes or the session ends, whichever comes first (MQTT 5 §3.1.3.2.2).
                delay = willDelay.compareTo(session.expiry) < 0 ? willDelay : session.expiry;
            }
        }
        Origin origin = new Origin.Client(identity);
        if (delay.isZero()) {
            core.route(lastWill, origin, clientId);
            return;
        }
        // MQTT 5 will delay: sent after min(delay, session expiry) unless the session is resumed first (MQTT-3.1.3-9).
        Session willSession = session;
        java.util.concurrent.ScheduledFuture<?> task = core.timers.schedule(() -> {
            synchronized (willSession) {
                willSession.pendingWill = null;
            }
            core.route(lastWill, origin, clientId);
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
        synchronized (session) {
            session.pendingWill = task;
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private Topic topic(String name) {
        return Topic.of(checkedString(name), core.topicLimits);
    }

    /** Rejects U+FFFD, which Netty's decoder puts where the packet had ill-formed UTF-8 (MQTT-1.5.4-1). */
    private static String checkedString(String value) {
        if (value == null) {
            throw RampartException.invalidRequest("missing topic");
        }
        if (value.indexOf('\uFFFD') >= 0) {
            throw RampartException.invalidRequest("ill-formed UTF-8 (MQTT-1.5.4-1)");
        }
        return value;
    }

    private Instant expiresAt(MqttProperties properties, Instant now) {
        if (!v5) {
            return null;
        }
        MqttProperties.MqttProperty<?> expiry = properties.getProperty(MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value());
        return expiry == null ? null : now.plusSeconds(Integer.toUnsignedLong((Integer) expiry.value()));
    }

    private static MessageProperties messageProperties(MqttProperties properties) {
        if (properties == null || properties.isEmpty()) {
            return MessageProperties.NONE;
        }
        boolean utf8 = intProperty(properties, MqttPropertyType.PAYLOAD_FORMAT_INDICATOR, 0) == 1;
        MqttProperties.MqttProperty<?> contentType = properties.getProperty(MqttPropertyType.CONTENT_TYPE.value());
        MqttProperties.MqttProperty<?> responseTopic = properties.getProperty(MqttPropertyType.RESPONSE_TOPIC.value());
        MqttProperties.MqttProperty<?> correlation = properties.getProperty(MqttPropertyType.CORRELATION_DATA.value());
        List<UserProperty> users = new ArrayList<>();
        for (MqttProperties.MqttProperty<?> property : properties.getProperties(MqttPropertyType.USER_PROPERTY.value())) {
            if (property instanceof MqttProperties.UserProperty user) {
                users.add(new UserProperty(user.value().key, user.value().value));
            } else if (property instanceof MqttProperties.UserProperties list) {
                for (MqttProperties.StringPair pair : list.value()) {
                    users.add(new UserProperty(pair.key, pair.value));
                }
            }
        }
        Topic response = responseTopic == null ? null : new Topic(checkedString((String) responseTopic.value()));
        return new MessageProperties(utf8, contentType == null ? null : (String) contentType.value(), response,
                correlation == null ? null : (byte[]) correlation.value(), users);
    }

    private static int intProperty(MqttProperties properties, MqttPropertyType type, int otherwise) {
        if (properties == null) {
            return otherwise;
        }
        MqttProperties.MqttProperty<?> property = properties.getProperty(type.value());
        return property == null ? otherwise : (Integer) property.value();
    }

    private static int packetId(MqttMessage message) {
        return ((MqttMessageIdVariableHeader) message.variableHeader()).messageId();
    }

    private static MqttFixedHeader fixed(MqttMessageType type, MqttQoS qos) {
        return new MqttFixedHeader(type, false, qos, false, 0);
    }

    private MqttConnAckMessage connAck(MqttConnectReturnCode code, boolean sessionPresent, MqttProperties properties) {
        return new MqttConnAckMessage(fixed(MqttMessageType.CONNACK, MqttQoS.AT_MOST_ONCE),
                new MqttConnAckVariableHeader(code, sessionPresent, properties));
    }
}
