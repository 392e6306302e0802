package io.rampart.defender.internal;

import io.rampart.analyzer.PolicyAudit;
import io.rampart.analyzer.PolicyClassification;
import io.rampart.common.Page;
import io.rampart.defender.NodeFacts;
import io.rampart.defender.RefusedConnection;
import io.rampart.policy.PolicyEngine;
import io.rampart.registry.CaCertificate;
import io.rampart.registry.Certificate;
import io.rampart.registry.Policy;
import io.rampart.registry.PolicyRef;
import io.rampart.registry.Registry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What one audit task reads, each part loaded at most once and only when a check asks for it. The registry is read
 * page by page in the order it lists; a change made while the audit reads may or may not be seen, as in AWS.
 *
 * @param start       the task's start time: expiry and age are judged against it
 * @param windowStart the start of the period the connection-based checks look at (31 days before an on-demand
 *                    audit; since the previous run for a scheduled one)
 */
public record AuditSnapshot(Instant start, Instant windowStart, Registry registry, ConnectionHistory history,
                            NodeFacts facts, PolicyEngine engine,
                            Supplier<List<Certificate>> certificates, Supplier<List<CaCertificate>> caCertificates,
                            Supplier<List<Policy>> policies, Supplier<List<ClassifiedPolicy>> classifiedPolicies,
                            Supplier<List<ConnectionHistory.Session>> sessions,
                            Supplier<List<RefusedConnection>> refusals) {

    /**
     * A policy's default version as the analyzer classified it; {@code classification} is null when the stored
     * document cannot be parsed any more ({@code unreadable} says why).
     */
    public record ClassifiedPolicy(AuditedPolicy policy, PolicyClassification classification, String unreadable) {
    }

    public static AuditSnapshot of(Instant start, Instant windowStart, Registry registry, ConnectionHistory history,
                                   NodeFacts facts, PolicyAudit policyAudit, PolicyEngine engine) {
        Supplier<List<Policy>> policies = once(() -> {
            List<Policy> found = new ArrayList<>();
            for (PolicyRef ref : all(page -> registry.policies().list(page))) {
                found.add(registry.policies().get(ref.policyName()));
            }
            return found;
        });
        return new AuditSnapshot(start, windowStart, registry, history, facts, engine,
                once(() -> all(page -> registry.certificates().list(page, true))),
                once(() -> all(page -> registry.caCertificates().list(page, true))),
                policies,
                once(() -> {
                    List<ClassifiedPolicy> classified = new ArrayList<>();
                    for (Policy policy : policies.get()) {
                        AuditedPolicy audited;
                        try {
                            audited = AuditedPolicy.of(policy);
                        } catch (io.rampart.common.RampartException e) {
                            classified.add(new ClassifiedPolicy(null, null, AuditedPolicy.unreadable(policy, e)));
                            continue;
                        }
                        classified.add(new ClassifiedPolicy(audited, policyAudit.classify(audited.named()), null));
                    }
                    return classified;
                }),
                once(() -> history.sessions(windowStart, start)),
                once(() -> history.refusals(windowStart, start)));
    }

    private static <T> List<T> all(Function<Page.Request, Page<T>> lister) {
        List<T> items = new ArrayList<>();
        Page.Request request = Page.Request.first(Page.Request.LIMIT);
        while (true) {
            Page<T> page = lister.apply(request);
            items.addAll(page.items());
            if (!page.hasMore()) {
                return items;
            }
            request = new Page.Request(Page.Request.LIMIT, page.nextToken());
        }
    }

    private static <T> Supplier<T> once(Supplier<T> loader) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = loader.get();
                }
                return value;
            }
        };
    }
}
