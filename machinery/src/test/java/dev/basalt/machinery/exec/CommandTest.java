package dev.basalt.machinery.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommandTest {
    @Test
    void secretArgumentsAreRedactedEverywhereShown() {
        Command c = Command.builder("cryptsetup").args("open", "/dev/vda5").secretArg("s3cret").arg("state")
                .stdin("key".getBytes(StandardCharsets.UTF_8)).build();
        assertThat(c.args()).containsExactly("open", "/dev/vda5", "s3cret", "state");
        assertThat(c.displayArgs()).containsExactly("open", "/dev/vda5", Command.REDACTED, "state");
        assertThat(c.toString()).doesNotContain("s3cret").doesNotContain("key").contains("stdin=3 bytes");
        assertThat(c.display()).isEqualTo("cryptsetup open /dev/vda5 <redacted> state");
    }

    @Test
    void isAValue() {
        Command a = Command.builder("mkfs.xfs").args("-L", "STATE").stdin(new byte[] {1}).build();
        Command b = Command.builder("mkfs.xfs").args("-L", "STATE").stdin(new byte[] {1}).build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.withStdin(new byte[] {2})).isNotEqualTo(a);
    }

    @Test
    void rejectsBlankProgramAndNonPositiveTimeout() {
        assertThatThrownBy(() -> Command.of(" ")).hasMessageContaining("program");
        assertThatThrownBy(() -> Command.builder("x").timeout(Duration.ZERO).build())
                .hasMessageContaining("timeout of x must be positive");
    }
}
