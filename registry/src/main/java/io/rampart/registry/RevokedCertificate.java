package io.rampart.registry;

import java.math.BigInteger;
import java.time.Instant;

/** One entry of the built-in CA's CRL: the serial of a REVOKED certificate it issued and when it was revoked. */
public record RevokedCertificate(BigInteger serialNumber, Instant revocationDate) {
}
