package io.rampart.analyzer.internal;

import io.rampart.common.AwsScope;

import java.util.ArrayList;
import java.util.List;

/**
 * The request sets the device-isolation checks look for, for a device with client id (and thing name) {@code X}
 * confined to {@code <prefix>/X}: each is a {@link Formula} over request strings, intersected by the analyzer with
 * what the policies allow. Resources are restricted to the scope's ARNs.
 */
public final class Namespaces {
    private final String topic;
    private final String filter;
    private final String client;
    private final String thing;
    private final String prefix;

    public Namespaces(AwsScope scope, String prefix) {
        this.topic = scope.arnPrefix() + "topic/";
        this.filter = scope.arnPrefix() + "topicfilter/";
        this.client = scope.arnPrefix() + "client/";
        this.thing = scope.arnPrefix() + "thing/";
        this.prefix = prefix;
    }

    public Formula connectAsOther(String x) {
        return Formula.and(KnownAction.is("iot:Connect"), resource(lit(client).token(Pattern.STAR)),
                Formula.not(resource(lit(client + x))));
    }

    public Formula publishOutside(String x) {
        return Formula.and(Formula.or(KnownAction.is("iot:Publish"), KnownAction.is("iot:RetainPublish")),
                resource(lit(topic).token(Pattern.STAR)), Formula.not(own(topic, x)));
    }

    public Formula receiveOutside(String x) {
        return Formula.and(KnownAction.is("iot:Receive"), resource(lit(topic).token(Pattern.STAR)),
                Formula.not(own(topic, x)));
    }

    /** A filter is inside only when it is the namespace root or below it, with no MQTT wildcard in that part. */
    public Formula subscribeOutside(String x) {
        boolean wildcardFree = x.indexOf('+') < 0 && x.indexOf('#') < 0;
        Formula inside = wildcardFree ? own(filter, x) : Formula.FALSE;
        return Formula.and(KnownAction.is("iot:Subscribe"), resource(lit(filter).token(Pattern.STAR)),
                Formula.not(inside));
    }

    public Formula rootWildcardSubscribe() {
        return Formula.and(KnownAction.is("iot:Subscribe"), resource(lit(filter + "#")));
    }

    /**
     * Access to another thing's reserved area {@code $aws/things/Y/<word>} (word {@code shadow} or {@code jobs}):
     * topics under it (publish, retain, receive), filters that can match such a topic (subscribe), and the
     * thing-scoped actions on {@code thing/Y}, for any Y other than X.
     */
    public Formula otherThing(String x, String word, List<String> thingActions) {
        Formula topicActions = Formula.or(KnownAction.is("iot:Publish"), KnownAction.is("iot:RetainPublish"),
                KnownAction.is("iot:Receive"));
        String base = topic + "$aws/things/";
        Formula anyThingTopic = Formula.or(resource(lit(base).tokens(level()).literal("/" + word)),
                resource(lit(base).tokens(level()).literal("/" + word + "/").token(Pattern.STAR)));
        Formula ownTopic = Formula.or(resource(lit(base + x + "/" + word)),
                resource(lit(base + x + "/" + word + "/").token(Pattern.STAR)));
        Formula topics = Formula.and(topicActions, anyThingTopic, Formula.not(ownTopic));

        List<Formula> actions = thingActions.stream().map(KnownAction::is).toList();
        Formula things = Formula.and(Formula.or(actions), resource(lit(thing).tokens(level())),
                Formula.not(resource(lit(thing + x))));

        Formula filters = Formula.and(KnownAction.is("iot:Subscribe"), filtersReaching(x, word));
        return Formula.or(topics, things, filters);
    }

    /**
     * Filters matching some topic {@code $aws/things/Y/<word>[/...]} with Y other than X. MQTT: a filter starting
     * with a wildcard never matches a {@code $} topic, so the filter starts with {@code $aws}; after it, each level
     * is the topic's level or {@code +}, or {@code #} ends the filter.
     */
    private Formula filtersReaching(String x, String word) {
        String aws = filter + "$aws/";
        List<Formula> hash = List.of(resource(lit(aws + "#")), resource(lit(aws + "things/#")),
                resource(lit(aws + "+/#")));
        List<Formula> plus = new ArrayList<>();
        List<Formula> level = new ArrayList<>();
        List<Formula> own = new ArrayList<>();
        for (String second : List.of("things", "+")) {
            plus.addAll(below(lit(aws + second + "/+"), word));
            level.addAll(below(lit(aws + second + "/").tokens(level()), word));
            own.addAll(below(lit(aws + second + "/" + x), word));
        }
        return Formula.or(Formula.or(hash), Formula.or(plus), Formula.and(Formula.or(level), Formula.not(Formula.or(own))));
    }

    /** After the thing level: {@code /#}, or the word (or {@code +}) ending the filter or followed by more levels. */
    private List<Formula> below(Pattern.Builder thingLevel, String word) {
        Pattern head = thingLevel.build();
        List<Formula> forms = new ArrayList<>();
        forms.add(resource(Pattern.builder().tokens(head).literal("/#")));
        for (String fourth : List.of(word, "+")) {
            forms.add(resource(Pattern.builder().tokens(head).literal("/" + fourth)));
            forms.add(resource(Pattern.builder().tokens(head).literal("/" + fourth + "/").token(Pattern.STAR)));
        }
        return forms;
    }

    /** The namespace root and everything below it, and the device's own reserved topics. */
    private Formula own(String type, String x) {
        String root = type + prefix + "/" + x;
        String reserved = type + "$aws/things/" + x;
        return Formula.or(resource(lit(root)), resource(lit(root + "/").token(Pattern.STAR)),
                resource(lit(reserved)), resource(lit(reserved + "/").token(Pattern.STAR)));
    }

    /** One non-empty topic level without wildcards. */
    private static Pattern level() {
        return Pattern.builder().token(Pattern.LEVEL_ANY).token(Pattern.LEVEL_STAR).build();
    }

    private static Pattern.Builder lit(String text) {
        return Pattern.builder().literal(text);
    }

    private static Formula resource(Pattern.Builder resource) {
        return Formula.atom(Pattern.resource(resource.build()));
    }
}
