package io.rampart.bench.mqtt;

import io.netty.util.internal.PlatformDependent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** How much memory a broker holds, read before and after the idle connections are opened. */
sealed interface MemoryGauge {

    /** Bytes held now. */
    long bytes();

    /** How the figure is measured, for the report. */
    String method();

    /** A broker in another process: its resident set size, from {@code /proc/PID/status} (VmRSS). */
    record ProcessRss(long pid) implements MemoryGauge {
        @Override
        public long bytes() {
            Path status = Path.of("/proc", Long.toString(pid), "status");
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmRSS:")) {
                        // "VmRSS:     5700 kB"
                        String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                        return Long.parseLong(parts[0]) * 1024;
                    }
                }
                throw new IllegalStateException(status + " has no VmRSS line");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the RSS of process " + pid + " (did it exit?)", e);
            }
        }

        @Override
        public String method() {
            return "RSS of PID " + pid + " (/proc/" + pid + "/status VmRSS)";
        }
    }

    /**
     * A broker inside this JVM: the heap in use after a full GC plus, when the heap is pre-touched ({@code -Xms} equal to
     * {@code -Xmx} and {@code -XX:+AlwaysPreTouch}, as {@code bin/mqtt-bench} runs), this process's RSS, whose changes
     * are then native memory only: OpenSSL (BoringSSL) connection state, direct buffers, thread stacks. Without a
     * pre-touched heap, RSS would count heap growth twice, so only the heap and direct buffers are counted and native TLS
     * memory is missed. The bench clients live in the same JVM, so the figure includes their memory too; the report
     * subtracts what the same clients cost against an out-of-process broker.
     */
    record ThisJvm() implements MemoryGauge {
        @Override
        public long bytes() {
            for (int i = 0; i < 3; i++) {
                System.gc();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while settling the heap", e);
                }
            }
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (heapPreTouched()) {
                return heap + new ProcessRss(ProcessHandle.current().pid()).bytes();
            }
            long jdkDirect = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                    .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
            long nettyDirect = Math.max(0, PlatformDependent.usedDirectMemory());
            return heap + jdkDirect + nettyDirect;
        }

        @Override
        public String method() {
            return heapPreTouched()
                    ? "this JVM's heap in use after GC + its RSS (heap pre-touched, so RSS changes are native: TLS, direct buffers)"
                    : "this JVM's heap after GC + direct buffers; native TLS memory NOT counted (run with -Xms = -Xmx and"
                    + " -XX:+AlwaysPreTouch, as bin/mqtt-bench does)";
        }

        private static boolean heapPreTouched() {
            List<String> flags = ManagementFactory.getRuntimeMXBean().getInputArguments();
            MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            return flags.contains("-XX:+AlwaysPreTouch") && heap.getInit() == heap.getMax();
        }
    }

    /** Memory cannot be read (an external target without --target-pid, or a broker this tool did not start). */
    record Unknown(String why) implements MemoryGauge {
        @Override
        public long bytes() {
            throw new IllegalStateException("memory is not measurable: " + why);
        }

        @Override
        public String method() {
            return "not measured: " + why;
        }
    }

    /** The gauge, unless it is {@link Unknown}. */
    default Optional<MemoryGauge> ifKnown() {
        return this instanceof Unknown ? Optional.empty() : Optional.of(this);
    }
}
