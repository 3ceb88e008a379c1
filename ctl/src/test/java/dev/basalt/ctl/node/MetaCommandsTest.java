package dev.basalt.ctl.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.ctl.CtlRunner;
import dev.basalt.ctl.FakeMaintenanceNode;
import dev.basalt.ctl.cli.UsageException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetaCommandsTest {
    @TempDir
    Path dir;

    @Test
    void keysParseAsTalosctlParsesThem() {
        assertThat(MetaCommands.parseKey("10")).isEqualTo(10);
        assertThat(MetaCommands.parseKey("0x0a")).isEqualTo(10);
        assertThat(MetaCommands.parseKey("0XA")).isEqualTo(10);
        assertThat(MetaCommands.parseKey("0o12")).isEqualTo(10);
        assertThat(MetaCommands.parseKey("012")).isEqualTo(10);
        assertThat(MetaCommands.parseKey("0b1010")).isEqualTo(10);
        assertThat(MetaCommands.parseKey("255")).isEqualTo(255);
        assertThat(MetaCommands.parseKey("0xff")).isEqualTo(255);
    }

    @Test
    void badKeysAreClearUsageErrors() {
        for (String bad : new String[] {"", "0x", "ten", "+5", "-1", "0x1g", "1.5", "08"}) {
            assertThatThrownBy(() -> MetaCommands.parseKey(bad)).as(bad).isInstanceOf(UsageException.class)
                    .hasMessageContaining("'" + bad + "' is not a number").hasMessageContaining("1..255");
        }
        for (String bad : new String[] {"0", "256", "0x100", "99999999999"}) {
            assertThatThrownBy(() -> MetaCommands.parseKey(bad)).as(bad).isInstanceOf(UsageException.class)
                    .hasMessageContaining("'" + bad + "'").hasMessageContaining("1..255");
        }
    }

    @Test
    void writeAndDeleteReachAMaintenanceNodeWithInsecure() throws Exception {
        try (FakeMaintenanceNode node = new FakeMaintenanceNode()) {
            CtlRunner ctl = new CtlRunner(dir);
            CtlRunner.Result write = ctl.run("--insecure", "-n", node.endpoint(), "meta", "write", "0x0a", "hello");
            assertThat(write.status()).as(write.err()).isZero();
            assertThat(write.out()).contains("fake-node: META key 0x0a written");
            assertThat(node.written).singleElement().satisfies(r -> {
                assertThat(r.getKey()).isEqualTo(10);
                assertThat(r.getValue().toString(StandardCharsets.UTF_8)).isEqualTo("hello");
            });

            CtlRunner.Result delete = ctl.run("meta", "delete", "12", "-i", "-n", node.endpoint());
            assertThat(delete.status()).as(delete.err()).isZero();
            assertThat(delete.out()).contains("fake-node: META key 0x0c deleted");

            CtlRunner.Result missing = ctl.run("-i", "-n", node.endpoint(), "meta", "delete", "0x0b");
            assertThat(missing.status()).isNotZero();
            assertThat(missing.err()).contains("NOT_FOUND").contains("0x0b is not set");
        }
    }

    @Test
    void aBadKeyIsRefusedBeforeAnythingIsSent() throws Exception {
        try (FakeMaintenanceNode node = new FakeMaintenanceNode()) {
            CtlRunner.Result r = new CtlRunner(dir).run("-i", "-n", node.endpoint(), "meta", "write", "0x100", "v");
            assertThat(r.status()).isNotZero();
            assertThat(r.err()).contains("META key '0x100' is out of range");
            CtlRunner.Result args = new CtlRunner(dir).run("-i", "-n", node.endpoint(), "meta", "write", "0x0a");
            assertThat(args.status()).isNotZero();
            assertThat(args.err()).contains("KEY VALUE");
            assertThat(node.written).isEmpty();
        }
    }

    @Test
    void helpListsTheMetaCommands() {
        CtlRunner.Result r = new CtlRunner(dir).run("meta", "--help");
        assertThat(r.out() + r.err()).contains("write").contains("delete");
    }
}
