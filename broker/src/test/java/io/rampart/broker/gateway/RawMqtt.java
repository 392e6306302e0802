package io.rampart.broker.gateway;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Hand-made MQTT packets over a real TLS socket, for what no well-behaved client library will send. */
final class RawMqtt implements AutoCloseable {
    final SSLSocket socket;

    RawMqtt(SSLContext context, int port) throws IOException {
        socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(5_000);
        socket.startHandshake();
    }

    void send(byte[]... packets) throws IOException {
        for (byte[] packet : packets) {
            socket.getOutputStream().write(packet);
        }
        socket.getOutputStream().flush();
    }

    /** Reads until the server closes; true if it did within the socket timeout (5 s), false on timeout. */
    boolean closedByServer() throws IOException {
        InputStream in = socket.getInputStream();
        try {
            while (in.read() != -1) {
                // drain whatever the server said before closing (CONNACK, DISCONNECT)
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    /** The next {@code n} bytes the server sends. */
    byte[] read(int n) throws IOException {
        return socket.getInputStream().readNBytes(n);
    }

    static byte[] connect311(String clientId) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, "MQTT".getBytes(StandardCharsets.US_ASCII));
        body.write(4);          // protocol level 3.1.1
        body.write(0x02);       // clean session
        body.write(0);
        body.write(60);         // keep-alive
        writeString(body, clientId.getBytes(StandardCharsets.UTF_8));
        return packet(0x10, body.toByteArray());
    }

    static byte[] publishQos0(byte[] topicUtf8, byte[] payload) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, topicUtf8);
        body.writeBytes(payload);
        return packet(0x30, body.toByteArray());
    }

    static byte[] subscribe(int packetId, String filter) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(packetId >> 8);
        body.write(packetId & 0xFF);
        writeString(body, filter.getBytes(StandardCharsets.UTF_8));
        body.write(0);
        return packet(0x82, body.toByteArray());
    }

    static byte[] packet(int firstByte, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, byte[] utf8) {
        out.write(utf8.length >> 8);
        out.write(utf8.length & 0xFF);
        out.writeBytes(utf8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
