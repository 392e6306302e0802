package io.rampart.policy.internal;

import io.rampart.common.ErrorType;
import io.rampart.common.RampartException;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the attributes of a DER-encoded X.500 Name into AWS IoT's attribute names, in certificate order.
 *
 * <p>Decoding the DER directly (instead of parsing an RFC 2253 string) keeps values exact: no escaping, no hex
 * forms for attribute types the JDK has no keyword for (title, pseudonym, ...).
 */
public final class DistinguishedNames {
    private static final int SEQUENCE = 0x30;
    private static final int SET = 0x31;
    private static final int OID = 0x06;

    /** The last arc of id-at (2.5.4.x) mapped to the names AWS IoT uses in {@code iot:Certificate.Subject.*}. */
    private static final Map<Integer, String> AWS_NAMES = Map.ofEntries(
            Map.entry(3, "CommonName"),
            Map.entry(4, "Surname"),
            Map.entry(5, "SerialNumber"),
            Map.entry(6, "Country"),
            Map.entry(8, "State"),
            Map.entry(10, "Organization"),
            Map.entry(11, "OrganizationalUnit"),
            Map.entry(12, "Title"),
            Map.entry(42, "GivenName"),
            Map.entry(43, "Initials"),
            Map.entry(44, "GenerationQualifier"),
            Map.entry(46, "DistinguishedNameQualifier"),
            Map.entry(65, "Pseudonym"));

    private DistinguishedNames() {
    }

    /** The AWS-named attributes of an encoded Name; attributes AWS IoT does not expose are skipped. */
    public static Map<String, List<String>> attributes(byte[] encodedName) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        Reader name = new Reader(encodedName, 0, encodedName.length);
        Reader rdns = name.enter(SEQUENCE);
        while (rdns.hasMore()) {
            Reader rdn = rdns.enter(SET);
            while (rdn.hasMore()) {
                Reader atv = rdn.enter(SEQUENCE);
                byte[] oid = atv.value(OID);
                int valueTag = atv.peekTag();
                byte[] value = atv.value(valueTag);
                String awsName = awsName(oid);
                String text = text(valueTag, value);
                if (awsName != null && text != null) {
                    result.computeIfAbsent(awsName, k -> new ArrayList<>()).add(text);
                }
            }
        }
        return result;
    }

    private static String awsName(byte[] oid) {
        // id-at attributes encode as 55 04 <arc> (2.5.4.arc) for arcs below 128.
        if (oid.length == 3 && oid[0] == 0x55 && oid[1] == 0x04) {
            return AWS_NAMES.get(oid[2] & 0xff);
        }
        return null;
    }

    private static String text(int tag, byte[] value) {
        Charset charset = switch (tag) {
            case 0x0C -> StandardCharsets.UTF_8;              // UTF8String
            case 0x12, 0x13, 0x16, 0x1A -> StandardCharsets.US_ASCII; // Numeric, Printable, IA5, Visible
            case 0x14 -> StandardCharsets.ISO_8859_1;         // TeletexString, as most CAs use it
            case 0x1E -> StandardCharsets.UTF_16BE;           // BMPString
            case 0x1C -> Charset.forName("UTF-32BE");         // UniversalString
            default -> null;
        };
        return charset == null ? null : new String(value, charset);
    }

    /** A cursor over a DER region. */
    private static final class Reader {
        private final byte[] der;
        private int pos;
        private final int end;

        Reader(byte[] der, int pos, int end) {
            this.der = der;
            this.pos = pos;
            this.end = end;
        }

        boolean hasMore() {
            return pos < end;
        }

        int peekTag() {
            if (pos >= end) {
                throw malformed();
            }
            return der[pos] & 0xff;
        }

        Reader enter(int tag) {
            int length = header(tag);
            Reader inner = new Reader(der, pos, pos + length);
            pos += length;
            return inner;
        }

        byte[] value(int tag) {
            int length = header(tag);
            byte[] value = Arrays.copyOfRange(der, pos, pos + length);
            pos += length;
            return value;
        }

        private int header(int tag) {
            if (peekTag() != tag || pos + 1 >= end) {
                throw malformed();
            }
            pos++;
            int first = der[pos++] & 0xff;
            int length;
            if (first < 0x80) {
                length = first;
            } else {
                int count = first & 0x7f;
                if (count == 0 || count > 3 || pos + count > end) {
                    throw malformed();
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (der[pos++] & 0xff);
                }
            }
            if (length > end - pos) {
                throw malformed();
            }
            return length;
        }

        private static RampartException malformed() {
            return new RampartException(ErrorType.CERTIFICATE_VALIDATION, "certificate name is not valid DER");
        }
    }
}
