package io.rampart.broker.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: what one service registration needs so its
 * callbacks see messages in publish order (MessageListener's contract) without a thread of its own.
 *
 * <p>Invariant: {@code running} is true exactly while a drain task is submitted or running; guarded by this.
 */
final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor delegate;
    private final String name;
    private final int maxPending;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    SerialExecutor(Executor delegate, String name) {
        this(delegate, name, Integer.MAX_VALUE);
    }

    /** @param maxPending tasks waiting beyond this many are refused by {@link #offer} */
    SerialExecutor(Executor delegate, String name, int maxPending) {
        this.delegate = delegate;
        this.name = name;
        this.maxPending = maxPending;
    }

    @Override
    public void execute(Runnable task) {
        if (!offer(task)) {
            throw new RejectedExecutionException(name + " has " + maxPending + " tasks waiting");
        }
    }

    /**
     * Queues {@code task} unless {@code maxPending} tasks are already waiting (then returns false and drops it);
     * throws RejectedExecutionException when the delegate refuses to run the queue.
     */
    boolean offer(Runnable task) {
        synchronized (this) {
            if (tasks.size() >= maxPending) {
                return false;
            }
            tasks.add(task);
            if (running) {
                return true;
            }
            running = true;
        }
        try {
            delegate.execute(this::drain);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                running = false;
                tasks.clear();
            }
            throw e;
        }
        return true;
    }

    private void drain() {
        while (true) {
            Runnable task;
            synchronized (this) {
                task = tasks.poll();
                if (task == null) {
                    running = false;
                    return;
                }
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("{} failed on a message; it goes on with the next", name, e);
            }
        }
    }
}
