package io.rampart.policy.internal;

import io.rampart.policy.CertificateContext;
import io.rampart.policy.RequestContext;
import io.rampart.policy.ThingContext;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A policy variable or condition key, parsed once when the policy is compiled, that yields its values for a
 * request. Names are matched case-insensitively, as AWS matches condition keys.
 */
public sealed interface ContextKey {
    /** AWS IoT: "Certificate attributes that contain arrays are limited to five items. Additional items are ignored." */
    int CERTIFICATE_ARRAY_LIMIT = 5;
    /** AWS IoT: certificate strings longer than 1024 characters are not substituted. */
    int CERTIFICATE_STRING_LIMIT = 1024;

    /** The name as written in the policy (reported in missingContextValues). */
    String name();

    /** The values for this request, or null when the request has none (the key is missing). */
    List<String> values(RequestContext context, Instant now);

    /** True for {@code iot:Certificate.*} keys, whose values follow AWS's certificate substitution limits. */
    default boolean fromCertificate() {
        return false;
    }

    /** Parses a key name; unknown names become {@link Supplied} keys looked up in the caller's extra keys. */
    static ContextKey parse(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "iot:clientid":
                return new Basic(name, Basic.Kind.CLIENT_ID);
            case "aws:sourceip":
                return new Basic(name, Basic.Kind.SOURCE_IP);
            case "aws:currenttime":
                return new Basic(name, Basic.Kind.CURRENT_TIME);
            case "aws:epochtime":
                return new Basic(name, Basic.Kind.EPOCH_TIME);
            case "iot:connection.thing.thingname":
                return new Thing(name, Thing.Kind.NAME, null);
            case "iot:connection.thing.thingtypename":
                return new Thing(name, Thing.Kind.TYPE, null);
            case "iot:connection.thing.isattached":
                return new Thing(name, Thing.Kind.IS_ATTACHED, null);
            case "iot:certificate.serialnumber":
                return new Certificate(name, Certificate.Part.SERIAL_NUMBER, null, Selector.FIRST, 0);
            case "iot:certificate.availablekeys":
                return new Certificate(name, Certificate.Part.AVAILABLE_KEYS, null, Selector.LIST, 0);
            case "iot:certificate.validity.notbefore":
                return new Certificate(name, Certificate.Part.NOT_BEFORE, null, Selector.FIRST, 0);
            case "iot:certificate.validity.notafter":
                return new Certificate(name, Certificate.Part.NOT_AFTER, null, Selector.FIRST, 0);
            default:
                break;
        }
        Matcher attribute = Thing.ATTRIBUTE.matcher(name);
        if (attribute.matches()) {
            return new Thing(name, Thing.Kind.ATTRIBUTE, attribute.group(1));
        }
        Matcher certificate = Certificate.FIELD.matcher(name);
        if (certificate.matches()) {
            boolean subject = certificate.group(1).equalsIgnoreCase("subject");
            boolean alternative = certificate.group(2) != null;
            String field = certificate.group(3);
            String suffix = certificate.group(4);
            Certificate.Part part = alternative
                    ? (subject ? Certificate.Part.SUBJECT_ALT : Certificate.Part.ISSUER_ALT)
                    : (subject ? Certificate.Part.SUBJECT : Certificate.Part.ISSUER);
            if (suffix == null) {
                return new Certificate(name, part, field, Selector.FIRST, 0);
            }
            if (suffix.equalsIgnoreCase("list")) {
                return new Certificate(name, part, field, Selector.LIST, 0);
            }
            return new Certificate(name, part, field, Selector.INDEX, Integer.parseInt(suffix));
        }
        return new Supplied(name, lower);
    }

    /** How a multi-valued certificate attribute is read. */
    enum Selector {
        /** {@code iot:Certificate.Subject.Country}: the first value. */
        FIRST,
        /** {@code iot:Certificate.Subject.Country.1}: AWS documents {@code .1} as the second value. */
        INDEX,
        /** {@code iot:Certificate.Subject.Country.List}: all values (for ForAnyValue/ForAllValues). */
        LIST
    }

    /** Connection basics: client id, source address, time. */
    record Basic(String name, Kind kind) implements ContextKey {
        enum Kind { CLIENT_ID, SOURCE_IP, CURRENT_TIME, EPOCH_TIME }

        @Override
        public List<String> values(RequestContext context, Instant now) {
            return switch (kind) {
                case CLIENT_ID -> single(context.clientId());
                case SOURCE_IP -> single(context.sourceIp());
                case CURRENT_TIME -> List.of(now.toString());
                case EPOCH_TIME -> List.of(Long.toString(now.getEpochSecond()));
            };
        }
    }

    /**
     * {@code iot:Connection.Thing.*}. AWS resolves these only when the thing named by the client id is attached to
     * the principal; otherwise they are missing, except IsAttached, which is then "false".
     */
    record Thing(String name, Kind kind, String attribute) implements ContextKey {
        static final Pattern ATTRIBUTE = Pattern.compile("(?i)iot:Connection\\.Thing\\.Attributes\\[(.+)]");

        enum Kind { NAME, TYPE, ATTRIBUTE, IS_ATTACHED }

        @Override
        public List<String> values(RequestContext context, Instant now) {
            Optional<ThingContext> thing = context.thing().filter(ThingContext::attached);
            if (kind == Kind.IS_ATTACHED) {
                return List.of(Boolean.toString(thing.isPresent()));
            }
            if (thing.isEmpty()) {
                return null;
            }
            return switch (kind) {
                case NAME -> List.of(thing.get().thingName());
                case TYPE -> single(thing.get().thingTypeName());
                case ATTRIBUTE -> single(Optional.ofNullable(thing.get().attributes().get(attribute)));
                case IS_ATTACHED -> throw new IllegalStateException("handled above");
            };
        }
    }

    /** {@code iot:Certificate.*}. */
    record Certificate(String name, Part part, String field, Selector selector, int index) implements ContextKey {
        static final Pattern FIELD = Pattern.compile(
                "(?i)iot:Certificate\\.(Subject|Issuer)\\.(AlternativeName\\.)?([A-Za-z0-9]+)(?:\\.(List|\\d{1,2}))?");

        enum Part { SUBJECT, ISSUER, SUBJECT_ALT, ISSUER_ALT, SERIAL_NUMBER, NOT_BEFORE, NOT_AFTER, AVAILABLE_KEYS }

        @Override
        public boolean fromCertificate() {
            return true;
        }

        @Override
        public List<String> values(RequestContext context, Instant now) {
            if (context.certificate().isEmpty()) {
                return null;
            }
            CertificateContext certificate = context.certificate().get();
            List<String> all = switch (part) {
                case SUBJECT -> lookup(certificate.subject(), field);
                case ISSUER -> lookup(certificate.issuer(), field);
                case SUBJECT_ALT -> lookup(certificate.subjectAlternativeNames(), field);
                case ISSUER_ALT -> lookup(certificate.issuerAlternativeNames(), field);
                case SERIAL_NUMBER -> List.of(certificate.serialNumber());
                case NOT_BEFORE -> List.of(certificate.notBefore().toString());
                case NOT_AFTER -> List.of(certificate.notAfter().toString());
                case AVAILABLE_KEYS -> availableKeys(certificate);
            };
            if (all == null || all.isEmpty()) {
                return null;
            }
            List<String> limited = all.size() > CERTIFICATE_ARRAY_LIMIT ? all.subList(0, CERTIFICATE_ARRAY_LIMIT) : all;
            return switch (selector) {
                case FIRST -> List.of(limited.get(0));
                case INDEX -> index < limited.size() ? List.of(limited.get(index)) : null;
                case LIST -> limited;
            };
        }

        private static List<String> lookup(Map<String, List<String>> fields, String field) {
            for (Map.Entry<String, List<String>> entry : fields.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(field)) {
                    return entry.getValue();
                }
            }
            return null;
        }

        private static List<String> availableKeys(CertificateContext certificate) {
            List<String> keys = new ArrayList<>();
            certificate.subject().keySet().forEach(k -> keys.add("iot:Certificate.Subject." + k));
            certificate.issuer().keySet().forEach(k -> keys.add("iot:Certificate.Issuer." + k));
            certificate.subjectAlternativeNames().keySet()
                    .forEach(k -> keys.add("iot:Certificate.Subject.AlternativeName." + k));
            certificate.issuerAlternativeNames().keySet()
                    .forEach(k -> keys.add("iot:Certificate.Issuer.AlternativeName." + k));
            keys.add("iot:Certificate.SerialNumber");
            return keys;
        }
    }

    /** Any other key: looked up (case-insensitively) in the keys the caller supplied with the request. */
    record Supplied(String name, String lowerName) implements ContextKey {
        @Override
        public List<String> values(RequestContext context, Instant now) {
            for (Map.Entry<String, List<String>> entry : context.conditionKeys().entrySet()) {
                if (entry.getKey().toLowerCase(Locale.ROOT).equals(lowerName)) {
                    return entry.getValue();
                }
            }
            return null;
        }
    }

    private static List<String> single(Optional<String> value) {
        return value.map(List::of).orElse(null);
    }
}
