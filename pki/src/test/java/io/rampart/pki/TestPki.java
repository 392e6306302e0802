package io.rampart.pki;

import io.rampart.pki.internal.BouncyCastle;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;

/** Test-side PKI made with BouncyCastle directly, independent of the code under test. */
final class TestPki {
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final SecureRandom RANDOM = new SecureRandom();

    private TestPki() {
    }

    static Clock fixedClock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    /** A clock tests can move forward. */
    static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static KeyPair ecKeyPair(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BouncyCastle.PROVIDER);
        generator.initialize(new ECGenParameterSpec(curve), RANDOM);
        return generator.generateKeyPair();
    }

    static KeyPair rsaKeyPair(int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits, RANDOM);
        return generator.generateKeyPair();
    }

    static String signatureAlgorithm(PrivateKey key) {
        return key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    }

    static PKCS10CertificationRequest csr(KeyPair keys, String subject, String... dnsNames) throws Exception {
        var builder = new JcaPKCS10CertificationRequestBuilder(name(subject), keys.getPublic());
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        // A CSR asking to become a CA: the CA must ignore this.
        extensions.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        if (dnsNames.length > 0) {
            GeneralName[] names = new GeneralName[dnsNames.length];
            for (int i = 0; i < dnsNames.length; i++) {
                names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
            }
            extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        }
        builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
        return builder.build(new JcaContentSignerBuilder(signatureAlgorithm(keys.getPrivate()))
                .setProvider(BouncyCastle.PROVIDER).build(keys.getPrivate()));
    }

    /** A certificate signed by {@code signerKey} with issuer name {@code issuer}: CA or leaf as asked. */
    static X509Certificate certificate(String subject, PublicKey subjectKey, String issuer, PrivateKey signerKey, boolean ca)
            throws Exception {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name(issuer),
                new BigInteger(64, RANDOM).add(BigInteger.ONE), Date.from(NOW.minus(Duration.ofDays(1))),
                Date.from(NOW.plus(Duration.ofDays(365))), name(subject), subjectKey);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        return new JcaX509CertificateConverter().getCertificate(builder.build(
                new JcaContentSignerBuilder(signatureAlgorithm(signerKey)).setProvider(BouncyCastle.PROVIDER).build(signerKey)));
    }

    /** RFC 4514 order, as the JDK reads it (BC's string constructor would keep the DER order instead). */
    static X500Name name(String rfc4514) {
        return X500Name.getInstance(new javax.security.auth.x500.X500Principal(rfc4514).getEncoded());
    }

    static X509Certificate selfSignedCa(String subject, KeyPair keys) throws Exception {
        return certificate(subject, keys.getPublic(), subject, keys.getPrivate(), true);
    }
}
