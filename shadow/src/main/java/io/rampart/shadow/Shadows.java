package io.rampart.shadow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rampart.common.Page;

/**
 * The Device Shadow operations of the data plane, with AWS IoT semantics; errors are RampartExceptions whose
 * type maps to AWS's status codes (400, 404, 409 conflict, 413, 415) and whose message is AWS's.
 * Successful updates and deletes are also announced on the reserved MQTT topics, whoever made them.
 */
public interface Shadows {
    /** GetThingShadow: state (desired, reported, delta), metadata, version and timestamp; 404 when there is none. */
    ObjectNode get(ShadowKey key);

    /**
     * UpdateThingShadow: applies the update document {@code payload} and returns the accepted document; publishes
     * {@code update/accepted}, {@code update/documents} and, when desired differs from reported, {@code update/delta}.
     */
    ObjectNode update(ShadowKey key, byte[] payload);

    /** DeleteThingShadow: deletes the shadow ({@code payload} may carry version and clientToken); publishes {@code delete/accepted}. */
    ObjectNode delete(ShadowKey key, byte[] payload);

    /** ListNamedShadowsForThing: the names of the thing's named shadows, in name order. */
    Page<String> listNamedShadows(String thingName, Page.Request page);

    /** Removes every stored shadow of {@code thingName}, for the DeleteThing path; returns how many were removed. */
    int deleteThingShadows(String thingName);
}
