package io.rampart.defender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rampart.common.RampartException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When scheduled audits run, and which schedules are refused. */
class ScheduledAuditTest {
    private static final List<AuditCheckName> CHECKS = List.of(AuditCheckName.LOGGING_DISABLED_CHECK);
    private static final Instant TUESDAY_NOON = Instant.parse("2026-05-05T12:00:00Z");

    private static ScheduledAudit audit(ScheduledAudit.Frequency frequency, String dayOfWeek, String dayOfMonth) {
        return new ScheduledAudit("a", frequency, dayOfWeek, dayOfMonth, CHECKS);
    }

    @Test
    void dailyRunsAtTheNextMidnightUtc() {
        assertThat(audit(ScheduledAudit.Frequency.DAILY, null, null).nextRunAfter(TUESDAY_NOON, null))
                .isEqualTo(Instant.parse("2026-05-06T00:00:00Z"));
    }

    @Test
    void weeklyRunsOnItsDayAndBiweeklyEveryOtherWeekAfterItsFirstRun() {
        assertThat(audit(ScheduledAudit.Frequency.WEEKLY, "MON", null).nextRunAfter(TUESDAY_NOON, null))
                .isEqualTo(Instant.parse("2026-05-11T00:00:00Z"));
        assertThat(audit(ScheduledAudit.Frequency.WEEKLY, "WED", null).nextRunAfter(TUESDAY_NOON, null))
                .isEqualTo(Instant.parse("2026-05-06T00:00:00Z"));
        ScheduledAudit biweekly = audit(ScheduledAudit.Frequency.BIWEEKLY, "WED", null);
        Instant first = biweekly.nextRunAfter(TUESDAY_NOON, null);
        assertThat(biweekly.nextRunAfter(first, first)).isEqualTo(Instant.parse("2026-05-20T00:00:00Z"));
    }

    @Test
    void monthlyRunsOnItsDayOrTheLastDayOfShorterMonths() {
        assertThat(audit(ScheduledAudit.Frequency.MONTHLY, null, "LAST").nextRunAfter(TUESDAY_NOON, null))
                .isEqualTo(Instant.parse("2026-05-31T00:00:00Z"));
        assertThat(audit(ScheduledAudit.Frequency.MONTHLY, null, "3").nextRunAfter(TUESDAY_NOON, null))
                .isEqualTo(Instant.parse("2026-06-03T00:00:00Z"));
        assertThat(audit(ScheduledAudit.Frequency.MONTHLY, null, "31").nextRunAfter(Instant.parse("2026-06-01T00:00:00Z"), null))
                .isEqualTo(Instant.parse("2026-06-30T00:00:00Z"));
    }

    @Test
    void schedulesWithoutTheirDayOrWithTheWrongOneAreRefused() {
        assertThatThrownBy(() -> audit(ScheduledAudit.Frequency.WEEKLY, null, null)).isInstanceOf(RampartException.class)
                .hasMessageContaining("a WEEKLY audit needs dayOfWeek");
        assertThatThrownBy(() -> audit(ScheduledAudit.Frequency.MONTHLY, null, "32")).isInstanceOf(RampartException.class)
                .hasMessageContaining("dayOfMonth (1 to 31 or LAST)");
        assertThatThrownBy(() -> audit(ScheduledAudit.Frequency.DAILY, "MON", null)).isInstanceOf(RampartException.class)
                .hasMessageContaining("a DAILY audit takes neither dayOfWeek nor dayOfMonth");
    }
}
