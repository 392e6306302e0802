package io.rampart.policy;

/**
 * How policy variables whose values contain wildcard characters are substituted.
 *
 * <p>In every mode substituted text is matched literally, never as a pattern: a client id {@code *} in
 * {@code topic/${iot:ClientId}} allows the topic literally named {@code *} and nothing else. The modes differ on
 * MQTT wildcards, which a broker interprets after the policy has matched: AWS documents that a client connecting
 * with client id {@code +} is allowed to subscribe to {@code my/+/topic} by a statement on
 * {@code topicfilter/my/${iot:ClientId}/topic}, i.e. to every client's topic.
 */
public enum SubstitutionMode {
    /**
     * Rampart's default. A substituted value containing {@code +} or {@code #} never satisfies an Allow statement
     * (in Deny statements it is matched literally, so a Deny still applies). Certificate attributes follow AWS's rule
     * below. A client can therefore never widen its permissions through its client id or thing data.
     */
    STRICT,
    /**
     * Exactly AWS IoT: client id and thing values are substituted literally whatever they contain; certificate
     * attributes containing {@code * $ + ? #} or longer than 1,024 characters are not substituted at all (the
     * element then does not match).
     */
    AWS_COMPATIBLE
}
