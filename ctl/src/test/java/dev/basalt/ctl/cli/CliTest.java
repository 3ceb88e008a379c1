package dev.basalt.ctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CliTest {
    private final AtomicReference<Invocation> seen = new AtomicReference<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private final Command probe = new Command() {
        @Override
        public String name() {
            return "probe";
        }

        @Override
        public String summary() {
            return "records its invocation";
        }

        @Override
        public List<Flag> flags() {
            return List.of(Flag.bool("force", "", "force"), Flag.array("config-patch", "", "patch"),
                    Flag.string("output", "o", ".", "out"), Flag.duration("timeout", "", "30s", "t"),
                    Flag.integer("tail", "", -1, "lines"));
        }

        @Override
        public int run(Invocation invocation) {
            seen.set(invocation);
            return 0;
        }
    };

    private int run(String... args) {
        var env = new Invocation.Environment(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]), Map.of(),
                Path.of("/home/u"), Path.of("/work"));
        CommandGroup root = new CommandGroup("ctl", "test", List.of(new CommandGroup("grp", "a group", List.of(probe))));
        return new Cli("ctl", root, List.of(Flag.slice("nodes", "n", "nodes"), Flag.slice("endpoints", "e", "eps"))).run(List.of(args), env);
    }

    @Test
    void parsesFlagsInEveryTalosctlSpelling() {
        assertThat(run("-n", "10.0.0.1,10.0.0.2", "grp", "probe", "-n10.0.0.3", "--nodes=10.0.0.4", "arg1",
                "--config-patch", "@a.yaml", "--config-patch", "[{\"op\":\"add\"}]", "-o", "dir", "--force",
                "--timeout", "1m30s", "--tail=5", "--", "--not-a-flag")).isZero();
        Invocation inv = seen.get();
        assertThat(inv.strings("nodes")).containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4");
        assertThat(inv.strings("config-patch")).containsExactly("@a.yaml", "[{\"op\":\"add\"}]");
        assertThat(inv.string("output")).isEqualTo("dir");
        assertThat(inv.bool("force")).isTrue();
        assertThat(inv.duration("timeout")).isEqualTo(Duration.ofSeconds(90));
        assertThat(inv.integer("tail")).isEqualTo(5);
        assertThat(inv.args()).containsExactly("arg1", "--not-a-flag");
    }

    @Test
    void defaultsApplyWhenFlagsAreAbsent() {
        assertThat(run("grp", "probe")).isZero();
        assertThat(seen.get().string("output")).isEqualTo(".");
        assertThat(seen.get().duration("timeout")).isEqualTo(Duration.ofSeconds(30));
        assertThat(seen.get().bool("force")).isFalse();
        assertThat(seen.get().isSet("output")).isFalse();
    }

    @Test
    void unknownFlagsAndCommandsAreUsageErrors() {
        assertThat(run("grp", "probe", "--bogus")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown flag: --bogus");
        assertThat(run("nope")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown command \"nope\"");
        assertThat(run("grp", "probe", "--output")).isEqualTo(2);
        assertThat(err.toString()).contains("flag needs an argument: --output");
        assertThat(run("grp", "probe", "--force=maybe")).isEqualTo(2);
        assertThat(seen.get()).isNull();
    }

    @Test
    void helpListsCommandsAndFlags() {
        assertThat(run("grp", "probe", "--help")).isZero();
        assertThat(out.toString()).contains("Usage:", "ctl grp probe", "--config-patch stringArray", "-o, --output string", "(default 30s)");
        out.reset();
        assertThat(run("help", "grp")).isZero();
        assertThat(out.toString()).contains("probe", "records its invocation");
    }

    @Test
    void goDurationsParseAndBadOnesAreRejected() {
        assertThat(Invocation.parseDuration("x", "300ms")).isEqualTo(Duration.ofMillis(300));
        assertThat(Invocation.parseDuration("x", "2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Invocation.parseDuration("x", "0")).isEqualTo(Duration.ZERO);
        List<String> bad = new ArrayList<>(List.of("", "5", "1x", "s", "1m 2s"));
        for (String text : bad) {
            assertThatThrownBy(() -> Invocation.parseDuration("--timeout", text)).isInstanceOf(UsageException.class)
                    .hasMessageContaining("is not a duration");
        }
    }
}
