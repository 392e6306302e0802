package io.rampart.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The per-connection decision cache: invalidation is immediate from any thread and never undone by a late answer. */
class DecisionCacheTest {
    private static final String TOPIC = "arn:aws:iot:us-east-1:000000000000:topic/a";

    @Test
    void aRememberedDecisionIsForgottenByAnInvalidationFromAnotherThread() throws Exception {
        DecisionCache cache = new DecisionCache(16);
        cache.put("iot:Publish", TOPIC, true, cache.generation());
        assertThat(cache.get("iot:Publish", TOPIC)).isTrue();

        Thread registryThread = new Thread(cache::invalidate);
        registryThread.start();
        registryThread.join();

        assertThat(cache.get("iot:Publish", TOPIC)).isNull();
    }

    @Test
    void anAnswerToAQuestionAskedBeforeAnInvalidationIsNotRemembered() {
        DecisionCache cache = new DecisionCache(16);
        long askedAt = cache.generation();
        cache.invalidate(); // the policy changed while the question was on the blocking executor
        cache.put("iot:Publish", TOPIC, true, askedAt);
        assertThat(cache.get("iot:Publish", TOPIC)).isNull();

        cache.put("iot:Publish", TOPIC, false, cache.generation());
        assertThat(cache.get("iot:Publish", TOPIC)).isFalse();
    }

    @Test
    void theLeastRecentlyUsedDecisionIsEvictedAtCapacity() {
        DecisionCache cache = new DecisionCache(2);
        long now = cache.generation();
        cache.put("iot:Publish", TOPIC + "1", true, now);
        cache.put("iot:Publish", TOPIC + "2", true, now);
        cache.get("iot:Publish", TOPIC + "1");
        cache.put("iot:Publish", TOPIC + "3", true, now);
        assertThat(cache.get("iot:Publish", TOPIC + "2")).isNull();
        assertThat(cache.get("iot:Publish", TOPIC + "1")).isTrue();
    }
}
