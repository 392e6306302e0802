package io.rampart.broker.store;

/**
 * Counters of the group committer since start.
 *
 * @param transactions committed transactions (one fsync each)
 * @param writes       writes committed
 * @param failedWrites writes whose future failed
 * @param queued       writes waiting now
 */
public record CommitStats(long transactions, long writes, long failedWrites, int queued) {
    /** Average writes per transaction: how well group commit is batching. */
    public double writesPerTransaction() {
        return transactions == 0 ? 0 : (double) writes / transactions;
    }
}
