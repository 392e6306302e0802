package io.rampart.defender;

import io.rampart.common.RampartException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Objects;

/**
 * A scheduled audit (CreateScheduledAudit): which checks, and how often. Runs start at 00:00 UTC of the due day.
 *
 * @param dayOfWeek  for WEEKLY and BIWEEKLY: SUN, MON, TUE, WED, THU, FRI or SAT (AWS's names); otherwise null
 * @param dayOfMonth for MONTHLY: "1" to "31" or "LAST" (a day past the month's end runs on its last day); otherwise null
 */
public record ScheduledAudit(String name, Frequency frequency, String dayOfWeek, String dayOfMonth,
                             List<AuditCheckName> targetCheckNames) {
    /** AWS AuditFrequency. */
    public enum Frequency {
        DAILY, WEEKLY, BIWEEKLY, MONTHLY
    }

    private static final List<String> DAYS = List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN");

    public ScheduledAudit {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(frequency, "frequency");
        targetCheckNames = List.copyOf(targetCheckNames);
        if (!name.matches("[a-zA-Z0-9_-]{1,128}")) {
            throw RampartException.invalidRequest("scheduledAuditName must be 1 to 128 of a-z, A-Z, 0-9, _ and -, got '"
                    + name + "'");
        }
        switch (frequency) {
            case DAILY -> {
                if (dayOfWeek != null || dayOfMonth != null) {
                    throw RampartException.invalidRequest("a DAILY audit takes neither dayOfWeek nor dayOfMonth");
                }
            }
            case WEEKLY, BIWEEKLY -> {
                if (dayOfWeek == null || !DAYS.contains(dayOfWeek) || dayOfMonth != null) {
                    throw RampartException.invalidRequest("a " + frequency + " audit needs dayOfWeek (SUN, MON, TUE, WED,"
                            + " THU, FRI or SAT) and no dayOfMonth, got dayOfWeek " + dayOfWeek);
                }
            }
            case MONTHLY -> {
                if (dayOfMonth == null || dayOfWeek != null || !(dayOfMonth.equals("LAST")
                        || dayOfMonth.matches("[1-9]|[12][0-9]|3[01]"))) {
                    throw RampartException.invalidRequest("a MONTHLY audit needs dayOfMonth (1 to 31 or LAST) and no"
                            + " dayOfWeek, got dayOfMonth " + dayOfMonth);
                }
            }
        }
    }

    /** The first run strictly after {@code after} (BIWEEKLY: every other week from the first). */
    public Instant nextRunAfter(Instant after, Instant lastRun) {
        LocalDate day = after.atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate next = switch (frequency) {
            case DAILY -> day.plusDays(1);
            case WEEKLY -> day.with(TemporalAdjusters.next(weekday()));
            case BIWEEKLY -> lastRun == null ? day.with(TemporalAdjusters.next(weekday()))
                    : lastRun.atZone(ZoneOffset.UTC).toLocalDate().plusWeeks(2);
            case MONTHLY -> monthly(day);
        };
        return next.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private DayOfWeek weekday() {
        return DayOfWeek.of(DAYS.indexOf(dayOfWeek) + 1);
    }

    private LocalDate monthly(LocalDate day) {
        LocalDate candidate = inMonth(day);
        return candidate.isAfter(day) ? candidate : inMonth(day.plusMonths(1).withDayOfMonth(1));
    }

    private LocalDate inMonth(LocalDate anyDayOfMonth) {
        int last = anyDayOfMonth.lengthOfMonth();
        int wanted = dayOfMonth.equals("LAST") ? last : Math.min(Integer.parseInt(dayOfMonth), last);
        return anyDayOfMonth.withDayOfMonth(wanted);
    }
}
