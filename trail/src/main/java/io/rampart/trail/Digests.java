package io.rampart.trail;

import com.fasterxml.jackson.databind.JsonNode;
import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;
import io.rampart.pki.KeyAlgorithm;
import io.rampart.pki.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Base64;
import java.util.Optional;

/**
 * Digest files and the key that signs them. A digest file is {@code {"digest":<JSON>,"signature":"<base64>"}}; the
 * ECDSA P-256 (SHA256withECDSA) signature covers the digest JSON bytes exactly as written.
 */
final class Digests {
    static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private static final String OPEN = "{\"digest\":";
    private static final String SIGNATURE_MARK = ",\"signature\":\"";

    private Digests() {
    }

    /** Loads the signing key, or creates it (and its public half beside the trail) on first start. */
    static PrivateKey loadOrCreateKey(TrailConfig config, SecureRandom random) throws IOException {
        Path keyFile = config.signingKeyFile();
        Path publicFile = config.directory().resolve(TrailConfig.PUBLIC_KEY_FILE);
        if (Files.exists(keyFile)) {
            PrivateKey key = Pem.parseEncryptedPrivateKey(Files.readString(keyFile), config.keySecret());
            if (!Files.exists(publicFile)) {
                throw new RampartException(ErrorType.INTERNAL_FAILURE, publicFile + " is missing while the signing key "
                        + keyFile + " exists: restore it from a verifier's copy");
            }
            return key;
        }
        KeyPair pair = KeyAlgorithm.EC_P256.generate(random);
        Files.createDirectories(keyFile.toAbsolutePath().getParent());
        Files.writeString(keyFile, Pem.encodeEncryptedPrivateKey(pair.getPrivate(), config.keySecret(), random),
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Non-POSIX file systems: the key is still encrypted.
        }
        Files.writeString(publicFile, Pem.encodePublicKey(pair.getPublic()));
        return pair.getPrivate();
    }

    static byte[] sign(byte[] digestJson, PrivateKey key, SecureRandom random) {
        try {
            Signature signature = Signature.getInstance(SIGNATURE_ALGORITHM);
            signature.initSign(key, random);
            signature.update(digestJson);
            String b64 = Base64.getEncoder().encodeToString(signature.sign());
            byte[] head = OPEN.getBytes(StandardCharsets.US_ASCII);
            byte[] tail = (SIGNATURE_MARK + b64 + "\"}\n").getBytes(StandardCharsets.US_ASCII);
            byte[] out = new byte[head.length + digestJson.length + tail.length];
            System.arraycopy(head, 0, out, 0, head.length);
            System.arraycopy(digestJson, 0, out, head.length, digestJson.length);
            System.arraycopy(tail, 0, out, head.length + digestJson.length, tail.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ECDSA signing failed", e);
        }
    }

    /** The digest JSON when the file is well formed and its signature verifies under the key. */
    static Optional<JsonNode> open(byte[] file, PublicKey key, com.fasterxml.jackson.databind.ObjectMapper mapper) {
        String text = new String(file, StandardCharsets.UTF_8).strip();
        int mark = text.lastIndexOf(SIGNATURE_MARK);
        if (!text.startsWith(OPEN) || mark < 0 || !text.endsWith("\"}")) {
            return Optional.empty();
        }
        byte[] digestJson = text.substring(OPEN.length(), mark).getBytes(StandardCharsets.UTF_8);
        try {
            byte[] sig = Base64.getDecoder().decode(text.substring(mark + SIGNATURE_MARK.length(), text.length() - 2));
            Signature signature = Signature.getInstance(SIGNATURE_ALGORITHM);
            signature.initVerify(key);
            signature.update(digestJson);
            if (!signature.verify(sig)) {
                return Optional.empty();
            }
            return Optional.of(mapper.readTree(digestJson));
        } catch (GeneralSecurityException | IllegalArgumentException | IOException e) {
            return Optional.empty();
        }
    }
}
