package io.rampart.bench.mqtt;

import io.rampart.pki.Pem;
import io.rampart.pki.ServerIdentity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * The gateway alone in a JVM, for {@code --rampart-process}: {@link ForkedRampartTarget} starts it with a directory
 * holding the bench PKI's ca.pem, server.pem and server-key.pem. It prints one line, {@code PORT <port> <transport>},
 * and serves until its standard input closes (the bench ended or died).
 */
public final class RampartProcess {
    static final String READY = "PORT ";

    private RampartProcess() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: RampartProcess DIR   (DIR holds ca.pem, server.pem, server-key.pem)");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        ServerIdentity server = new ServerIdentity(Pem.parseCertificates(Files.readString(dir.resolve("server.pem"))),
                Pem.parsePrivateKey(Files.readString(dir.resolve("server-key.pem"))));
        try (RampartTarget gateway = RampartTarget.start(server, Pem.parseCertificate(Files.readString(dir.resolve("ca.pem"))),
                Optional.empty(), Clock.systemUTC())) {
            System.out.println(READY + gateway.port() + " " + gateway.transport());
            System.out.flush();
            while (System.in.read() >= 0) {
                // Nothing is sent on stdin; end of input is the signal to stop.
            }
        }
    }
}
