package io.rampart.broker.store;

import io.rampart.messaging.MessageProperties;
import io.rampart.messaging.Topic;
import io.rampart.messaging.UserProperty;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** How message properties and subscription identifier lists are laid out in their columns. */
final class StoredForms {
    /** Format version byte, so a later layout can be read next to this one. */
    private static final int PROPERTIES_V1 = 1;

    private StoredForms() {
    }

    /** Null for {@link MessageProperties#NONE} (the common case costs no bytes), else a versioned binary form. */
    static byte[] encode(MessageProperties properties) {
        if (properties.isEmpty()) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(PROPERTIES_V1);
            out.writeBoolean(properties.payloadUtf8());
            writeNullable(out, properties.contentType());
            writeNullable(out, properties.responseTopic() == null ? null : properties.responseTopic().value());
            byte[] correlation = properties.correlationData();
            out.writeInt(correlation == null ? -1 : correlation.length);
            if (correlation != null) {
                out.write(correlation);
            }
            out.writeInt(properties.userProperties().size());
            for (UserProperty property : properties.userProperties()) {
                writeString(out, property.name());
                writeString(out, property.value());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static MessageProperties decodeProperties(byte[] stored) {
        if (stored == null) {
            return MessageProperties.NONE;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored))) {
            int version = in.readUnsignedByte();
            if (version != PROPERTIES_V1) {
                throw new IllegalStateException("stored message properties have unknown format version " + version);
            }
            boolean utf8 = in.readBoolean();
            String contentType = readNullable(in);
            String responseTopic = readNullable(in);
            int correlationLength = in.readInt();
            byte[] correlation = null;
            if (correlationLength >= 0) {
                correlation = in.readNBytes(correlationLength);
            }
            int count = in.readInt();
            List<UserProperty> user = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                user.add(new UserProperty(readString(in), readString(in)));
            }
            return new MessageProperties(utf8, contentType, responseTopic == null ? null : new Topic(responseTopic),
                    correlation, user);
        } catch (IOException e) {
            throw new UncheckedIOException("stored message properties are corrupt", e);
        }
    }

    /** Comma-separated identifiers, or null when there are none. */
    static String encode(List<Integer> subscriptionIdentifiers) {
        if (subscriptionIdentifiers.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (int id : subscriptionIdentifiers) {
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(id);
        }
        return text.toString();
    }

    static List<Integer> decodeIdentifiers(String stored) {
        if (stored == null || stored.isEmpty()) {
            return List.of();
        }
        List<Integer> ids = new ArrayList<>();
        for (String part : stored.split(",")) {
            ids.add(Integer.parseInt(part));
        }
        return ids;
    }

    private static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            writeString(out, value);
        }
    }

    /** Plain UTF-8 with an int length (writeUTF's modified UTF-8 caps at 65,535 bytes, below MQTT's string limit). */
    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("string length " + length + " exceeds the stored bytes");
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? readString(in) : null;
    }
}
