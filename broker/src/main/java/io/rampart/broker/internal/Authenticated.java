package io.rampart.broker.internal;

import io.rampart.broker.Principal;

/** Pipeline event: the peer's certificate was accepted and it acts as {@code principal}. */
record Authenticated(Principal principal) {
}
