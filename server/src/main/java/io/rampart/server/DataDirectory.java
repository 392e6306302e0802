package io.rampart.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A node's data directory: created readable by its owner only, and written file by file atomically so a
 * crash never leaves a half-written {@code credentials} or {@code endpoint.json} for a client to trip on.
 */
public final class DataDirectory {
    /** The CA certificate devices and clients trust (PEM). */
    public static final String CA_FILE = "ca.pem";
    /** The first admin access key, AWS shared-credentials format, profile {@code rampart}. */
    public static final String CREDENTIALS_FILE = "credentials";
    /** Where clients find the node: {@code {"host","mqttPort","apiPort","region","accountId"}}. */
    public static final String ENDPOINT_FILE = "endpoint.json";
    /** The embedded SQLite store, used when no {@code --db} is given. */
    public static final String DATABASE_FILE = "rampart.db";
    /** The key-encryption secret generated on first start when none is configured. */
    public static final String GENERATED_SECRET_FILE = "keys/secret";

    static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> PUBLIC_FILE = PosixFilePermissions.fromString("rw-r--r--");

    private final Path root;

    private DataDirectory(Path root) {
        this.root = root;
    }

    /** Opens {@code root}, creating it (and missing parents) with mode 0700 when it does not exist. */
    public static DataDirectory open(Path root) {
        Path absolute = root.toAbsolutePath().normalize();
        createPrivateDirectory(absolute);
        return new DataDirectory(absolute);
    }

    /** The directory, absolute. */
    public Path root() {
        return root;
    }

    /**
     * False when the directory (made by someone else, or before) lets group or others in; the node warns then,
     * because it holds the credentials file and the encrypted keys. True on file systems without POSIX modes.
     */
    public boolean isOwnerOnly() {
        if (!supportsPosix(root)) {
            return true;
        }
        try {
            return OWNER_ONLY_DIR.containsAll(Files.getPosixFilePermissions(root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the mode of " + root, e);
        }
    }

    /** A path inside the directory. */
    public Path resolve(String relative) {
        return root.resolve(relative);
    }

    /** Writes a file readable by the owner only (0600): keys, secrets, credentials. */
    public Path writePrivate(String relative, byte[] content) {
        return write(resolve(relative), content, OWNER_ONLY_FILE);
    }

    /** Writes a file anyone may read (0644): the CA certificate and the endpoint description. */
    public Path writePublic(String relative, byte[] content) {
        return write(resolve(relative), content, PUBLIC_FILE);
    }

    /** Creates {@code dir} (and missing parents) with mode 0700; an existing directory is left as it is. */
    static void createPrivateDirectory(Path dir) {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (Files.exists(dir)) {
            throw new UncheckedIOException(new IOException(dir + " exists and is not a directory"));
        }
        if (dir.getParent() != null) {
            createPrivateDirectory(dir.getParent());
        }
        try {
            if (supportsPosix(dir.getParent())) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
                // The umask may have narrowed the mode further but never widened it; set it exactly.
                Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException raced) {
            // Another process created it between our check and our create: it exists, which is all we need.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create directory " + dir, e);
        }
    }

    /**
     * Writes {@code content} to a temporary file created with {@code mode} from the start (so the bytes are
     * never readable by others, not even for a moment), then renames it over {@code target}.
     */
    static Path write(Path target, byte[] content, Set<PosixFilePermission> mode) {
        Path dir = target.toAbsolutePath().getParent();
        createPrivateDirectory(dir);
        try {
            boolean posix = supportsPosix(dir);
            FileAttribute<?>[] attributes = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)}
                    : new FileAttribute<?>[0];
            Path temporary = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", attributes);
            try {
                Files.write(temporary, content);
                if (posix) {
                    Files.setPosixFilePermissions(temporary, mode);
                }
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    private static boolean supportsPosix(Path dir) {
        Path probe = dir == null ? Path.of("").toAbsolutePath() : dir;
        return Files.getFileAttributeView(probe, PosixFileAttributeView.class) != null;
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
