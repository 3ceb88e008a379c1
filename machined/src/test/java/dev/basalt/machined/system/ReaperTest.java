package dev.basalt.machined.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

class ReaperTest {
    @TempDir
    Path proc;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final SystemConsole console = new SystemConsole(new PrintStream(output, true));

    /** Reaps whatever is asked; records what. */
    private static final class FakeKernel implements Kernel {
        final List<Long> reaped = new ArrayList<>();

        @Override
        public OptionalInt reap(long pid) {
            reaped.add(pid);
            return OptionalInt.of(pid == 77 ? 9 : 3 << 8);
        }

        @Override
        public void kill(long pid, int signal) {
        }

        @Override
        public void sync() {
        }

        @Override
        public void unmount(String target, int flags) {
        }

        @Override
        public void reboot(int command) {
        }
    }

    private void process(long pid, String comm, char state, long parent) throws IOException {
        Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(proc.resolve(pid + "/stat"), pid + " (" + comm + ") " + state + " " + parent
                + " 1 1 0 -1 4194560 0 0 0 0\n");
    }

    @Test
    void reapsOnlyZombieChildrenOfPid1() throws IOException {
        process(1, "java", 'S', 0);
        process(42, "etcd", 'Z', 1);
        process(77, "weird (name) x", 'Z', 1);
        process(50, "containerd", 'S', 1);
        process(60, "runc", 'Z', 50);
        Files.createDirectories(proc.resolve("self"));
        FakeKernel kernel = new FakeKernel();

        List<Reaper.Reaped> reaped = new Reaper(kernel, new ProcessTable(proc), 1, console).reapOnce();

        assertThat(kernel.reaped).containsExactlyInAnyOrder(42L, 77L);
        assertThat(reaped).extracting(Reaper.Reaped::command).containsExactlyInAnyOrder("etcd", "weird (name) x");
        assertThat(output.toString()).contains("reaped orphan pid 42 (etcd) exited 3")
                .contains("reaped orphan pid 77 (weird (name) x) killed by signal 9");
    }

    @Test
    void leavesProcessesItStartedToTheirOwner() throws Exception {
        FakeKernel kernel = new FakeKernel();
        long self = ProcessHandle.current().pid();
        Reaper reaper = new Reaper(kernel, new ProcessTable(Path.of("/proc")), self, console);
        Process child = reaper.start(new ProcessBuilder("sleep", "0.3"));
        process(child.pid(), "sleep", 'Z', 1);
        Reaper fakeTableReaper = new Reaper(kernel, new ProcessTable(proc), 1, console);

        // The real table: the owned child is running or a zombie of ours, and is never reaped here.
        reaper.reapOnce();
        assertThat(kernel.reaped).doesNotContain(child.pid());
        assertThat(child.waitFor()).isZero();
        // A reaper that does not own it would take it.
        fakeTableReaper.reapOnce();
        assertThat(kernel.reaped).contains(child.pid());
    }

    @Test
    void statParsingRejectsGarbageByContent() {
        assertThat(ProcessTable.parseStat("12 (a) b) Z 1 0").command()).isEqualTo("a) b");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProcessTable.parseStat("garbage"))
                .hasMessageContaining("garbage");
    }
}
