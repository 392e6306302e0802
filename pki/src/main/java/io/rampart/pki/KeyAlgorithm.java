package io.rampart.pki;

import io.rampart.common.RampartException;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The key pair types Rampart generates: for its CA, its server certificate and CreateKeysAndCertificate.
 *
 * <pre>{@code
 * KeyAlgorithm algorithm = KeyAlgorithm.parse("ec-p256");   // or "EC_P256", "rsa-2048", "EC_prime256v1"
 * KeyPair pair = algorithm.generate(random);
 * }</pre>
 *
 * <p>AWS IoT's own CreateKeysAndCertificate makes an RSA 2048 key; Rampart defaults to {@link #EC_P256}
 * (same strength class, much cheaper handshakes on small devices) and lets the operator choose.
 */
public enum KeyAlgorithm {
    EC_P256("EC", 256, "secp256r1", "P256", "PRIME256V1", "SECP256R1", "EC_PRIME256V1", "EC_SECP256R1"),
    EC_P384("EC", 384, "secp384r1", "P384", "SECP384R1", "EC_SECP384R1"),
    RSA_2048("RSA", 2048, null, "RSA2048"),
    RSA_3072("RSA", 3072, null, "RSA3072"),
    RSA_4096("RSA", 4096, null, "RSA4096");

    /** The algorithm used when nothing is configured. */
    public static final KeyAlgorithm DEFAULT = EC_P256;

    private final String jcaName;
    private final int bits;
    private final String curve;
    private final List<String> aliases;

    KeyAlgorithm(String jcaName, int bits, String curve, String... aliases) {
        this.jcaName = jcaName;
        this.bits = bits;
        this.curve = curve;
        this.aliases = List.of(aliases);
    }

    /** The JCA key algorithm name: {@code "EC"} or {@code "RSA"}. */
    public String jcaName() {
        return jcaName;
    }

    /** Key size in bits (RSA modulus length, or EC field size). */
    public int bits() {
        return bits;
    }

    /** Generates a fresh key pair with the JDK's providers, drawing randomness from {@code random}. */
    public KeyPair generate(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(jcaName);
            AlgorithmParameterSpec spec = curve != null
                    ? new ECGenParameterSpec(curve)
                    : new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4);
            generator.initialize(spec, random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate " + this + " keys", e);
        }
    }

    /**
     * Reads a key algorithm name as an operator writes it: case-insensitive, {@code -} or {@code _},
     * e.g. {@code EC_P256}, {@code ec-p384}, {@code rsa-2048}, or ACM's names {@code EC_prime256v1},
     * {@code EC_secp384r1}.
     *
     * @throws RampartException INVALID_REQUEST naming the accepted values
     */
    public static KeyAlgorithm parse(String name) {
        if (name == null || name.isBlank()) {
            throw RampartException.invalidRequest("key algorithm is missing; accepted: " + acceptedNames());
        }
        String normalized = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (KeyAlgorithm algorithm : values()) {
            if (algorithm.name().equals(normalized) || algorithm.aliases.contains(normalized)) {
                return algorithm;
            }
        }
        throw RampartException.invalidRequest("unknown key algorithm '" + name + "'; accepted: " + acceptedNames());
    }

    private static String acceptedNames() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
