package io.rampart.broker.subscriptions;

import io.rampart.messaging.QoS;
import io.rampart.messaging.SubscriptionOptions;
import io.rampart.messaging.Topic;
import io.rampart.messaging.TopicFilter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Every live subscription of the node, as a trie over topic levels, answering "who receives a message on this
 * topic" for each PUBLISH. Built for many concurrent readers ({@link #match}, lock-free) and concurrent writers.
 *
 * <p>Invariants:
 * <ol>
 *   <li>Every mutation ({@link #subscribe}, {@link #unsubscribe}, {@link #unsubscribeAll}) holds {@code writeLock}.
 *       Mutations are O(filter depth) and rare next to matches (they happen at SUBSCRIBE and connect time), so one
 *       lock keeps them short and lets pruning be simple. Readers never lock.</li>
 *   <li>A node's {@code children} is a {@link ConcurrentHashMap}; its {@code subscribers} and {@code groups} are
 *       immutable arrays replaced as a whole (copy-on-write) through volatile fields. A reader therefore sees a
 *       consistent snapshot of each node, and a match that starts after {@code subscribe} returned sees that
 *       subscription.</li>
 *   <li>A client has at most one entry per filter per node: subscribing again replaces its options (MQTT-3.8.4-3).</li>
 *   <li>A node with no subscribers, no groups and no children is unlinked from its parent (under the lock), so the
 *       trie's size follows the live filters. A reader still holding an unlinked node sees it empty, which is the
 *       same answer as not finding it.</li>
 *   <li>{@code byClient} mirrors the trie: (client, filter) is in {@code byClient} exactly when the trie holds that
 *       client's entry at the filter's node (updated under the lock, after the trie).</li>
 * </ol>
 */
public final class SubscriptionIndex {
    private static final Entry[] NO_ENTRIES = new Entry[0];
    private static final SharedGroup[] NO_GROUPS = new SharedGroup[0];
    private static final Predicate<String> ANY_MEMBER = clientId -> true;

    private final Node root = new Node(null, null);
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ConcurrentHashMap<String, Map<TopicFilter, SubscriptionOptions>> byClient = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();

    /**
     * Adds or replaces {@code clientId}'s subscription to {@code filter}; returns the options it replaced, if any
     * (retain handling 1 sends retained messages only for a new subscription, MQTT-3.3.1-10).
     */
    public Optional<SubscriptionOptions> subscribe(String clientId, TopicFilter filter, SubscriptionOptions options) {
        writeLock.lock();
        try {
            Node node = root;
            for (String level : filter.levels()) {
                node = node.childOrCreate(level);
            }
            Optional<String> group = filter.shareGroup();
            SubscriptionOptions previous = group.isPresent()
                    ? node.putShared(group.get(), new Entry(clientId, options))
                    : node.put(new Entry(clientId, options));
            Map<TopicFilter, SubscriptionOptions> filters = byClient.computeIfAbsent(clientId, id -> new ConcurrentHashMap<>());
            filters.put(filter, options);
            if (previous == null) {
                size.incrementAndGet();
            }
            return Optional.ofNullable(previous);
        } finally {
            writeLock.unlock();
        }
    }

    /** Removes {@code clientId}'s subscription to {@code filter}; false when it had none (MQTT 5 reason 0x11). */
    public boolean unsubscribe(String clientId, TopicFilter filter) {
        writeLock.lock();
        try {
            Map<TopicFilter, SubscriptionOptions> filters = byClient.get(clientId);
            if (filters == null || filters.remove(filter) == null) {
                return false;
            }
            if (filters.isEmpty()) {
                byClient.remove(clientId);
            }
            removeFromTrie(clientId, filter);
            size.decrementAndGet();
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    /** Removes every subscription of {@code clientId} (clean session end, session expiry); returns how many. */
    public int unsubscribeAll(String clientId) {
        writeLock.lock();
        try {
            Map<TopicFilter, SubscriptionOptions> filters = byClient.remove(clientId);
            if (filters == null) {
                return 0;
            }
            for (TopicFilter filter : filters.keySet()) {
                removeFromTrie(clientId, filter);
            }
            size.addAndGet(-filters.size());
            return filters.size();
        } finally {
            writeLock.unlock();
        }
    }

    private void removeFromTrie(String clientId, TopicFilter filter) {
        Node node = root;
        for (String level : filter.levels()) {
            node = node.children.get(level);
            if (node == null) {
                throw new IllegalStateException("subscription index out of sync: no node for " + filter);
            }
        }
        Optional<String> group = filter.shareGroup();
        if (group.isPresent()) {
            node.removeShared(group.get(), clientId);
        } else {
            node.remove(clientId);
        }
        // Invariant 4: unlink empty nodes bottom-up.
        while (node.parent != null && node.isEmpty()) {
            node.parent.children.remove(node.level, node);
            node = node.parent;
        }
    }

    /** The subscriptions of {@code clientId}, by filter (a snapshot). */
    public Map<TopicFilter, SubscriptionOptions> subscriptionsOf(String clientId) {
        Map<TopicFilter, SubscriptionOptions> filters = byClient.get(clientId);
        return filters == null ? Map.of() : Map.copyOf(filters);
    }

    /** How many subscriptions (client, filter) the index holds. */
    public int size() {
        return size.get();
    }

    /** The recipients of a message on {@code topic} published by a service (no publisher client, any shared member). */
    public List<Recipient> match(Topic topic) {
        return match(topic, null, ANY_MEMBER);
    }

    /**
     * The recipients of a message on {@code topic} (a list owned by the caller to read, not to modify).
     *
     * @param publisherClientId   the publishing client, for no-local subscriptions (MQTT-3.8.3-3); null for services
     * @param preferSharedMember  which members a shared subscription should pick (e.g. those online with window
     *                            room); members are taken round-robin among the preferred ones, or among all when
     *                            none is preferred, so one member per group receives each message (MQTT 5 §4.8.2)
     */
    public List<Recipient> match(Topic topic, String publisherClientId, Predicate<String> preferSharedMember) {
        Collector collector = new Collector(publisherClientId, preferSharedMember);
        String name = topic.value();
        boolean system = topic.isSystem();
        // MQTT-4.7.2-1: at the first level, '#' and '+' do not match topics starting with '$'.
        if (!system) {
            Node hash = root.children.get("#");
            if (hash != null) {
                collector.add(hash);
            }
        }
        int end = name.indexOf('/');
        if (end < 0) {
            end = name.length();
        }
        if (!system) {
            Node plus = root.children.get("+");
            if (plus != null) {
                matchBelow(plus, name, end + 1, collector);
            }
        }
        Node exact = root.children.get(name.substring(0, end));
        if (exact != null) {
            matchBelow(exact, name, end + 1, collector);
        }
        return collector.result();
    }

    /** Matches the levels of {@code name} from {@code start} below {@code node}, whose level already matched. */
    private static void matchBelow(Node node, String name, int start, Collector collector) {
        if (node.children.isEmpty()) {
            if (start > name.length()) {
                collector.add(node);
            }
            return;
        }
        // "a/#" matches "a" and everything below it (MQTT 5 §4.7.1.2).
        Node hash = node.children.get("#");
        if (hash != null) {
            collector.add(hash);
        }
        if (start > name.length()) {
            collector.add(node);
            return;
        }
        int end = name.indexOf('/', start);
        if (end < 0) {
            end = name.length();
        }
        Node plus = node.children.get("+");
        if (plus != null) {
            matchBelow(plus, name, end + 1, collector);
        }
        Node exact = node.children.get(name.substring(start, end));
        if (exact != null) {
            matchBelow(exact, name, end + 1, collector);
        }
    }

    private record Entry(String clientId, SubscriptionOptions options) {
    }

    /** The members of one shared subscription ($share/name/filter), with its round-robin cursor. */
    private static final class SharedGroup {
        final String name;
        final Entry[] members;
        final AtomicInteger cursor;

        SharedGroup(String name, Entry[] members, AtomicInteger cursor) {
            this.name = name;
            this.members = members;
            this.cursor = cursor;
        }

        Entry pick(Predicate<String> prefer) {
            int n = members.length;
            int start = Math.floorMod(cursor.getAndIncrement(), n);
            for (int i = 0; i < n; i++) {
                Entry candidate = members[(start + i) % n];
                if (prefer.test(candidate.clientId)) {
                    return candidate;
                }
            }
            return members[start];
        }
    }

    private static final class Node {
        final Node parent;
        final String level;
        final ConcurrentHashMap<String, Node> children = new ConcurrentHashMap<>(4);
        volatile Entry[] subscribers = NO_ENTRIES;
        volatile SharedGroup[] groups = NO_GROUPS;

        Node(Node parent, String level) {
            this.parent = parent;
            this.level = level;
        }

        Node childOrCreate(String childLevel) {
            Node child = children.get(childLevel);
            if (child == null) {
                child = new Node(this, childLevel);
                children.put(childLevel, child);
            }
            return child;
        }

        boolean isEmpty() {
            return subscribers.length == 0 && groups.length == 0 && children.isEmpty();
        }

        SubscriptionOptions put(Entry entry) {
            Entry[] current = subscribers;
            for (int i = 0; i < current.length; i++) {
                if (current[i].clientId.equals(entry.clientId)) {
                    Entry[] next = current.clone();
                    next[i] = entry;
                    subscribers = next;
                    return current[i].options;
                }
            }
            Entry[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = entry;
            subscribers = next;
            return null;
        }

        void remove(String clientId) {
            subscribers = without(subscribers, clientId);
        }

        SubscriptionOptions putShared(String name, Entry entry) {
            SharedGroup[] current = groups;
            for (int g = 0; g < current.length; g++) {
                if (current[g].name.equals(name)) {
                    Entry[] members = current[g].members;
                    SubscriptionOptions previous = null;
                    Entry[] nextMembers = null;
                    for (int i = 0; i < members.length; i++) {
                        if (members[i].clientId.equals(entry.clientId)) {
                            previous = members[i].options;
                            nextMembers = members.clone();
                            nextMembers[i] = entry;
                        }
                    }
                    if (nextMembers == null) {
                        nextMembers = Arrays.copyOf(members, members.length + 1);
                        nextMembers[members.length] = entry;
                    }
                    SharedGroup[] next = current.clone();
                    next[g] = new SharedGroup(name, nextMembers, current[g].cursor);
                    groups = next;
                    return previous;
                }
            }
            SharedGroup[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = new SharedGroup(name, new Entry[] {entry}, new AtomicInteger());
            groups = next;
            return null;
        }

        void removeShared(String name, String clientId) {
            SharedGroup[] current = groups;
            List<SharedGroup> next = new ArrayList<>(current.length);
            for (SharedGroup group : current) {
                if (!group.name.equals(name)) {
                    next.add(group);
                    continue;
                }
                Entry[] members = without(group.members, clientId);
                if (members.length > 0) {
                    next.add(new SharedGroup(name, members, group.cursor));
                }
            }
            groups = next.toArray(NO_GROUPS);
        }

        private static Entry[] without(Entry[] entries, String clientId) {
            for (int i = 0; i < entries.length; i++) {
                if (entries[i].clientId.equals(clientId)) {
                    Entry[] next = new Entry[entries.length - 1];
                    System.arraycopy(entries, 0, next, 0, i);
                    System.arraycopy(entries, i + 1, next, i, entries.length - i - 1);
                    return next;
                }
            }
            return entries;
        }
    }

    /** Gathers matching entries and merges each client's overlapping subscriptions. */
    private static final class Collector {
        private final String publisherClientId;
        private final Predicate<String> preferSharedMember;
        // Allocated on first use: most topics match few subscriptions, many match none.
        private List<Entry> plain;
        private List<Recipient> shared;

        Collector(String publisherClientId, Predicate<String> preferSharedMember) {
            this.publisherClientId = publisherClientId;
            this.preferSharedMember = preferSharedMember;
        }

        void add(Node node) {
            for (Entry entry : node.subscribers) {
                if (entry.options.noLocal() && entry.clientId.equals(publisherClientId)) {
                    continue;
                }
                if (plain == null) {
                    plain = new ArrayList<>(4);
                }
                plain.add(entry);
            }
            SharedGroup[] groups = node.groups;
            if (groups.length > 0) {
                if (shared == null) {
                    shared = new ArrayList<>(2);
                }
                for (SharedGroup group : groups) {
                    // No-local does not apply: it is a protocol error on a shared subscription (MQTT-3.8.3-4).
                    Entry member = group.pick(preferSharedMember);
                    shared.add(recipient(member, group.name));
                }
            }
        }

        List<Recipient> result() {
            if (plain == null) {
                return shared == null ? List.of() : shared;
            }
            if (shared == null && plain.size() == 1) {
                return List.of(recipient(plain.getFirst(), null));
            }
            List<Recipient> result = new ArrayList<>(plain.size() + (shared == null ? 0 : shared.size()));
            if (plain.size() == 1) {
                result.add(recipient(plain.getFirst(), null));
            } else {
                mergeInto(result);
            }
            if (shared != null) {
                result.addAll(shared);
            }
            return result;
        }

        private void mergeInto(List<Recipient> result) {
            Map<String, Merged> byClient = new HashMap<>();
            for (Entry entry : plain) {
                Merged merged = byClient.get(entry.clientId);
                if (merged == null) {
                    byClient.put(entry.clientId, new Merged(entry));
                } else {
                    merged.add(entry.options);
                }
            }
            for (Merged merged : byClient.values()) {
                result.add(merged.recipient());
            }
        }

        private static Recipient recipient(Entry entry, String shareGroup) {
            SubscriptionOptions options = entry.options;
            return new Recipient(entry.clientId, options.qos(), options.retainAsPublished(),
                    options.hasSubscriptionIdentifier() ? List.of(options.subscriptionIdentifier()) : List.of(), shareGroup);
        }
    }

    private static final class Merged {
        private final String clientId;
        private QoS qos;
        private boolean retainAsPublished;
        private final List<Integer> identifiers = new ArrayList<>(1);

        Merged(Entry first) {
            this.clientId = first.clientId;
            this.qos = first.options.qos();
            add0(first.options);
        }

        void add(SubscriptionOptions options) {
            qos = qos.max(options.qos());
            add0(options);
        }

        private void add0(SubscriptionOptions options) {
            retainAsPublished |= options.retainAsPublished();
            if (options.hasSubscriptionIdentifier()) {
                identifiers.add(options.subscriptionIdentifier());
            }
        }

        Recipient recipient() {
            return new Recipient(clientId, qos, retainAsPublished, identifiers, null);
        }
    }
}
