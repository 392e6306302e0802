package io.rampart.analyzer.internal;

import io.rampart.policy.CertificateContext;
import io.rampart.policy.Condition;
import io.rampart.policy.NamedPolicy;
import io.rampart.policy.RequestContext;
import io.rampart.policy.Statement;
import io.rampart.policy.ThingContext;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The requesters a question is decided for. One concrete requester is taken as given. "Any device" is
 * instantiated with representative client ids, each with its thing attached and without:
 * <ul>
 *   <li>fresh ids made of characters no policy mentions (one and three characters long), standing for every id
 *       that meets the policies only through wildcards and variables;</li>
 *   <li>every literal the policies mention (each topic level of a Resource with its wildcards instantiated, the
 *       texts between wildcards, and every condition value), so an id colliding with a name in a policy (e.g.
 *       {@code admin}) is covered;</li>
 *   <li>MQTT-wildcard ids {@code +}, {@code #}, {@code <fresh>/#}, {@code <fresh>/+}: the ones that can widen a
 *       topic filter built from {@code ${iot:ClientId}} under {@code AWS_COMPATIBLE}.</li>
 * </ul>
 * A proof for "any device" is a proof for each of these requesters, which {@link io.rampart.analyzer.Verdict.Proved}
 * lists; it is not a proof for every possible client id (an id matching a wildcard pattern in a way none of these
 * does is not covered). A thing is attached only for ids that are valid thing names.
 */
public final class Requesters {
    /** At most this many collision ids are taken from the policies (first mentioned first). */
    static final int MAX_COLLISIONS = 24;
    private static final String FRESH = "qxzjkvw";
    /** AWS IoT thing names: only such a client id can name a registry thing (and resolve thing variables). */
    private static final java.util.regex.Pattern THING_NAME = java.util.regex.Pattern.compile("[a-zA-Z0-9:_-]{1,128}");

    /** A requester and how it is described in verdicts. */
    public record Requester(RequestContext context, String description) {
    }

    private Requesters() {
    }

    public static List<Requester> exactly(RequestContext context) {
        return List.of(new Requester(context, "the given requester" + context.clientId()
                .map(id -> " (client id '" + id + "')").orElse("")));
    }

    /** Representative devices for the policies of every set given. */
    public static List<Requester> anyDevice(List<List<NamedPolicy>> policySets) {
        return anyDevice(policySets, Optional.empty());
    }

    /** Representative devices, each connecting with the certificate when one is given. */
    public static List<Requester> anyDevice(List<List<NamedPolicy>> policySets, Optional<CertificateContext> certificate) {
        Set<String> literals = new LinkedHashSet<>();
        Set<Character> mentioned = new HashSet<>();
        for (List<NamedPolicy> set : policySets) {
            for (NamedPolicy policy : set) {
                policy.document().text().chars().forEach(c -> mentioned.add((char) Character.toLowerCase(c)));
                policy.document().text().chars().forEach(c -> mentioned.add((char) c));
                for (Statement statement : policy.document().statements()) {
                    for (String resource : statement.resources()) {
                        // Only the resource part of an ARN: region and account are not client ids worth trying.
                        String[] arn = resource.split(":", 6);
                        pieces(arn.length == 6 ? arn[5] : resource, literals);
                    }
                    for (Condition condition : statement.conditions()) {
                        for (String value : condition.values()) {
                            if (!value.isEmpty() && !value.contains("${")) {
                                literals.add(value);
                            }
                            pieces(value, literals);
                        }
                    }
                }
            }
        }
        String fresh = fresh(mentioned);
        String g = String.valueOf(fresh.charAt(0));
        String g3 = g + fresh.charAt(1) + g;
        Set<String> ids = new LinkedHashSet<>();
        ids.add(g);
        ids.add(g3);
        literals.stream().limit(MAX_COLLISIONS).forEach(ids::add);
        ids.add("+");
        ids.add("#");
        ids.add(g + "/#");
        ids.add(g + "/+");
        List<Requester> result = new ArrayList<>();
        for (String id : ids) {
            if (THING_NAME.matcher(id).matches()) {
                ThingContext thing = new ThingContext(id, Optional.empty(), Map.of(), true);
                result.add(new Requester(device(id, certificate).thing(thing).build(),
                        "client id '" + id + "' with its thing attached"));
            }
            result.add(new Requester(device(id, certificate).build(),
                    "client id '" + id + "' without an attached thing"));
        }
        return result;
    }

    /**
     * Two devices no policy of the sets names and sharing no prefix with the representative ids of
     * {@link #anyDevice} (its fresh ids start with another character): one with its thing attached, one without.
     * What the policies grant such a device, they grant to every device alike.
     */
    public static List<Requester> outsiders(List<List<NamedPolicy>> policySets) {
        return outsiders(policySets, Optional.empty());
    }

    /** {@link #outsiders(List)}, connecting with the certificate when one is given. */
    public static List<Requester> outsiders(List<List<NamedPolicy>> policySets, Optional<CertificateContext> certificate) {
        Set<Character> mentioned = new HashSet<>();
        for (List<NamedPolicy> set : policySets) {
            for (NamedPolicy policy : set) {
                policy.document().text().chars().forEach(c -> mentioned.add((char) Character.toLowerCase(c)));
                policy.document().text().chars().forEach(c -> mentioned.add((char) c));
            }
        }
        String fresh = fresh(mentioned);
        String id = "" + fresh.charAt(1) + fresh.charAt(1);
        return List.of(
                new Requester(device(id, certificate)
                        .thing(new ThingContext(id, Optional.empty(), Map.of(), true)).build(),
                        "unrelated client id '" + id + "' with its thing attached"),
                new Requester(device(id, certificate).build(),
                        "unrelated client id '" + id + "' without an attached thing"));
    }

    private static RequestContext.Builder device(String id, Optional<CertificateContext> certificate) {
        RequestContext.Builder builder = RequestContext.builder().clientId(id);
        certificate.ifPresent(builder::certificate);
        return builder;
    }

    /** Two distinct characters no policy mentions (readable ones first). */
    private static String fresh(Set<Character> mentioned) {
        StringBuilder fresh = new StringBuilder();
        for (int i = 0; i < FRESH.length() && fresh.length() < 2; i++) {
            if (!mentioned.contains(FRESH.charAt(i))) {
                fresh.append(FRESH.charAt(i));
            }
        }
        for (char c = '\uE000'; fresh.length() < 2; c++) {
            if (!mentioned.contains(c)) {
                fresh.append(c);
            }
        }
        return fresh.toString();
    }

    /**
     * Ids a device could choose to collide with a name in a policy: the texts between {@code /} and variables,
     * with wildcards instantiated ({@code *} as nothing, {@code ?} as {@code _}), and the texts between wildcards.
     */
    private static void pieces(String text, Set<String> into) {
        String withoutVariables = text.replaceAll("\\$\\{[^}]*}", "/");
        for (String level : withoutVariables.split("/")) {
            String instantiated = level.replace("*", "").replace('?', '_');
            if (!instantiated.isEmpty()) {
                into.add(instantiated);
            }
            for (String piece : level.split("[*?]")) {
                if (!piece.isEmpty()) {
                    into.add(piece);
                }
            }
        }
    }
}
