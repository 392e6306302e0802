package io.rampart.bench.mqtt;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import io.rampart.pki.CertificateAuthority;
import io.rampart.pki.IssuedCredentials;
import io.rampart.pki.KeyAlgorithm;
import io.rampart.pki.Pem;
import io.rampart.pki.ServerIdentity;
import io.rampart.pki.TlsContexts;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;

/**
 * The one PKI both brokers trust during a run: an in-memory CA from the pki module, a server certificate for
 * 127.0.0.1/localhost and one client certificate every bench client presents (AWS IoT lets many connections share a
 * certificate; the handshake cost is the same as with one certificate per client).
 */
final class BenchPki {
    private final CertificateAuthority ca;
    private final ServerIdentity server;
    private final IssuedCredentials client;

    BenchPki(Clock clock, SecureRandom random) {
        ca = CertificateAuthority.inMemory(KeyAlgorithm.EC_P256, "Rampart MQTT Bench CA", clock, random);
        server = ca.issueServerCertificate(List.of("localhost"), List.of("127.0.0.1"), KeyAlgorithm.EC_P256);
        client = ca.createKeysAndCertificate(KeyAlgorithm.EC_P256);
    }

    CertificateAuthority ca() {
        return ca;
    }

    ServerIdentity server() {
        return server;
    }

    /** TLS settings for a bench client: trusts the bench CA, presents the bench client certificate. */
    MqttClientSslConfig clientTls() {
        return clientTls(List.of(ca.certificate()), List.of(client.certificate()), client.keyPair().getPrivate());
    }

    /** Writes ca.pem, server.pem (chain) and server-key.pem (PKCS#8) into {@code dir}, for mosquitto. */
    ServerFiles writeServerFiles(Path dir) {
        try {
            ServerFiles files = new ServerFiles(dir.resolve("ca.pem"), dir.resolve("server.pem"), dir.resolve("server-key.pem"));
            Files.writeString(files.ca(), Pem.encodeCertificate(ca.certificate()));
            Files.writeString(files.certificate(), server.chainPem());
            Files.writeString(files.key(), Pem.encodePrivateKey(server.privateKey()));
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bench server certificate files into " + dir, e);
        }
    }

    /** Where {@link #writeServerFiles} put the files. */
    record ServerFiles(Path ca, Path certificate, Path key) {
    }

    /** Client TLS from PEM files (for {@code --target}: a running node's CA and a certificate it accepts). */
    static MqttClientSslConfig clientTls(Path caFile, Path certFile, Path keyFile) {
        try {
            return clientTls(Pem.parseCertificates(Files.readString(caFile)), Pem.parseCertificates(Files.readString(certFile)),
                    Pem.parsePrivateKey(Files.readString(keyFile)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read TLS files: " + e.getMessage(), e);
        }
    }

    private static MqttClientSslConfig clientTls(List<X509Certificate> trusted, List<X509Certificate> chain, PrivateKey key) {
        try {
            // The key store password only protects an in-memory store that never leaves this process.
            char[] password = "bench".toCharArray();
            KeyStore keys = TlsContexts.keyStore(chain, key, password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(TlsContexts.trustStore(trusted));
            return MqttClientSslConfig.builder().keyManagerFactory(kmf).trustManagerFactory(tmf)
                    .protocols(TlsContexts.PROTOCOLS).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the client TLS configuration: " + e.getMessage(), e);
        }
    }
}
