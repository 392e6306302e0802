package io.rampart.api;

import java.util.Objects;

/**
 * One API operation: HTTP method, path template, AWS operation name, who may call it, and its handler.
 *
 * <p>Templates are AWS-style: literal segments, {@code {name}} for one segment and {@code {name+}} (last
 * segment only) for the rest of the path, slashes included. Where two templates match a path, the one with
 * literal segments further left wins ({@code /thing-groups/addThingToThingGroup} over
 * {@code /thing-groups/{thingGroupName}}).
 */
public record Route(String method, String template, String operation, Access access, String signingName, Handler handler) {

    /** Who may call a route; a READ_ONLY key may call only {@link #READ} routes, an ADMIN key any. */
    public enum Access {
        /** No SigV4 signature needed (signed public data such as the CRL). */
        PUBLIC,
        /** Describe*, List*, Get*, TestAuthorization, GetEffectivePolicies: any valid key. */
        READ,
        /** Changes state: admin keys only. */
        WRITE,
        /** Rampart administration (access keys): admin keys only, even for reads. */
        ADMIN
    }

    /** The code behind a route: plain blocking code, run on a virtual thread per request. */
    @FunctionalInterface
    public interface Handler {
        ApiResponse handle(ApiRequest request) throws Exception;
    }

    /** SigV4 signing name of the AWS IoT control plane. */
    public static final String CONTROL_PLANE = "iot";

    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(signingName, "signingName");
        Objects.requireNonNull(handler, "handler");
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("template must start with '/': " + template);
        }
    }

    /** A read operation of the control plane. */
    public static Route read(String method, String template, String operation, Handler handler) {
        return new Route(method, template, operation, Access.READ, CONTROL_PLANE, handler);
    }

    /** A state-changing operation of the control plane. */
    public static Route write(String method, String template, String operation, Handler handler) {
        return new Route(method, template, operation, Access.WRITE, CONTROL_PLANE, handler);
    }

    /** A Rampart administration operation (admin keys only). */
    public static Route admin(String method, String template, String operation, Handler handler) {
        return new Route(method, template, operation, Access.ADMIN, CONTROL_PLANE, handler);
    }

    /** An unauthenticated operation serving public data. */
    public static Route open(String method, String template, String operation, Handler handler) {
        return new Route(method, template, operation, Access.PUBLIC, CONTROL_PLANE, handler);
    }
}
