package io.rampart.pki.internal;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

import java.security.Provider;

/**
 * The one BouncyCastle provider instance Rampart uses, passed explicitly to every BC builder.
 *
 * <p>It is never registered with {@code java.security.Security}: registering would change what every other
 * library in the JVM gets from {@code getInstance}. Keys, certificates and TLS stay on the JDK's providers;
 * BC is used for what the JDK lacks (PKCS#8 PBES2 encryption, CSRs, curves the JDK dropped, so that a CSR on
 * secp256k1 is parsed and rejected with a clear message instead of failing deep inside the JDK).
 * The instance is immutable after construction, so sharing it keeps no mutable global state.
 */
public final class BouncyCastle {
    public static final Provider PROVIDER = new BouncyCastleProvider();

    private BouncyCastle() {
    }
}
