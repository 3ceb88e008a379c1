package dev.basalt.machinery.api.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DaemonJvmOptionsTest {
    @Test
    void shippedOptionsBoundTheHeapAndCompilerAndSetTheMallocArenas() {
        DaemonJvmOptions options = DaemonJvmOptions.load();
        assertThat(options.flags()).contains("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED");
        assertThat(options.flags()).anyMatch(f -> f.startsWith("-Xmx"));
        assertThat(options.flags()).allMatch(f -> f.startsWith("-"));
        assertThat(options.environment()).containsEntry("MALLOC_ARENA_MAX", "2");
    }

    @Test
    void parsesFlagsEnvironmentAndComments() {
        DaemonJvmOptions options = DaemonJvmOptions.parse("""
                # comment
                -Xmx16m

                  -XX:+UseSerialGC  \s
                MALLOC_ARENA_MAX=1
                """);
        assertThat(options.flags()).containsExactly("-Xmx16m", "-XX:+UseSerialGC");
        assertThat(options.environment()).isEqualTo(Map.of("MALLOC_ARENA_MAX", "1"));
    }

    @Test
    void rejectsALineThatIsNeitherFlagNorVariable() {
        assertThatThrownBy(() -> DaemonJvmOptions.parse("-Xmx16m\nXmx32m\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2").hasMessageContaining("Xmx32m");
        assertThatThrownBy(() -> DaemonJvmOptions.parse("lower=case"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lower=case");
    }
}
