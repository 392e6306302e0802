package io.rampart.shadow.internal;

/** What a get or delete request may carry: a client token to echo and, for delete, an expected version. */
public record RequestToken(String clientToken, Long version) {
    public static final RequestToken NONE = new RequestToken(null, null);
}
