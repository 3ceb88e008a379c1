package dev.basalt.machined.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.machined.api.ServiceLog;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SupervisedServiceControlTest {
    private final TestClock clock = new TestClock();
    private final SupervisedServiceControl control = new SupervisedServiceControl(clock, clock, Duration.ofMillis(5),
            3, 10_000);

    @AfterEach
    void stopAll() throws InterruptedException {
        control.supervisor().close();
    }

    @Test
    void theApiReadsTheLogTheSupervisorWritesWithoutACopy() throws Exception {
        control.supervisor().register(Service.builder("etcd").runner(new FakeRunner()).build());
        LogBuffer written = control.supervisor().log("etcd").orElseThrow();
        ServiceLog read = control.log("etcd").orElseThrow();
        assertThat(read).isSameAs(written);

        ServiceLog.Cursor follower = read.cursor(0);
        for (int i = 1; i <= 4; i++) {
            written.line("line " + i);
        }
        // the supervisor's limits (3 lines) are the API's: the follower fell behind and skips to the oldest held
        assertThat(follower.drain(10)).containsExactly("line 2", "line 3", "line 4");
        assertThat(read.cursor(-1).drain(10)).containsExactly("line 2", "line 3", "line 4");
    }

    @Test
    void anUnregisteredServiceHasNoLog() {
        assertThat(control.log("kubelet")).isEmpty();
    }
}
