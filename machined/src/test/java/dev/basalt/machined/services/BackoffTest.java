package dev.basalt.machined.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesFromOneSecondUpToTheCap() {
        Backoff b = Backoff.STANDARD;
        assertThat(b.delay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.delay(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.delay(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(b.delay(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(b.delay(1000)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 2, Duration.ZERO))
                .hasMessage("backoff initial delay must be positive, got PT0S");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, Duration.ZERO))
                .hasMessage("backoff max PT1S is below the initial delay PT2S");
        assertThatThrownBy(() -> Backoff.STANDARD.delay(0)).hasMessage("restart attempt is 1-based, got 0");
    }

    @Property
    void delaysNeverShrinkAndNeverExceedTheCap(@ForAll @IntRange(min = 1, max = 10_000) int attempt) {
        Backoff b = Backoff.STANDARD;
        assertThat(b.delay(attempt + 1)).isGreaterThanOrEqualTo(b.delay(attempt));
        assertThat(b.delay(attempt)).isLessThanOrEqualTo(b.max());
    }
}
