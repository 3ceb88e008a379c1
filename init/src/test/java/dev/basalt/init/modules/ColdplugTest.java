package dev.basalt.init.modules;

import dev.basalt.init.Console;
import dev.basalt.init.Modules;
import dev.basalt.init.NativeCallException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ColdplugTest {
    @TempDir
    Path sys;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final Console console = new Console(new PrintStream(output, true), System.nanoTime());

    /** Records loads; loading "e1000" makes a virtio block device appear, as a bus driver reveals children. */
    private final class FakeModules implements Modules {
        final List<String> loaded = new ArrayList<>();

        @Override
        public boolean load(Path file, String parameters) {
            String name = ModuleIndex.nameOf(file.toString());
            if (name.equals("ahci")) {
                throw new NativeCallException("finit_module", file.toString(), 19);
            }
            loaded.add(name);
            if (name.equals("e1000")) {
                device("virtio", "virtio1", "virtio:d00000002v00001AF4");
            }
            return true;
        }
    }

    private void device(String bus, String name, String modalias) {
        try {
            Path dir = sys.resolve("bus").resolve(bus).resolve("devices").resolve(name);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("modalias"), modalias + "\n");
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void loadsDriversForPresentDevicesInDependencyOrderAndRescans() throws IOException {
        device("virtio", "virtio0", "virtio:d00000001v00001AF4");
        device("pci", "0000:00:03.0", "pci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00");
        Files.createDirectories(sys.resolve("bus/platform/devices/serial8250"));
        FakeModules modules = new FakeModules();
        Coldplug coldplug = new Coldplug(ModuleIndexTest.fixture(), Path.of("/lib/modules/x"), sys, modules, console);

        Coldplug.Result result = coldplug.run();

        assertThat(modules.loaded).containsExactly("failover", "net_failover", "virtio_net", "e1000", "virtio_blk");
        assertThat(result.rounds()).isEqualTo(2);
    }

    @Test
    void aFailingDriverIsReportedAndTheRestStillLoads() throws IOException {
        device("pci", "0000:00:1f.2", "pci:v00008086d00002922sv00001AF4sd00001100bc01sc06i01");
        device("virtio", "virtio0", "virtio:d00000001v00001AF4");
        FakeModules modules = new FakeModules();
        Coldplug coldplug = new Coldplug(ModuleIndexTest.fixture(), Path.of("/m"), sys, modules, console);

        Coldplug.Result result = coldplug.run();

        assertThat(result.failed()).containsExactly("ahci");
        assertThat(modules.loaded).contains("libata", "virtio_net");
        assertThat(output.toString()).contains("module ahci failed to load").contains("ENODEV");
    }

    @Test
    void cpuFeatureDriversMatchTheCpuSubsystemsModalias() throws IOException {
        Path cpu = sys.resolve("devices/system/cpu");
        Files.createDirectories(cpu);
        Files.writeString(cpu.resolve("modalias"), "cpu:type:x86,ven0000fam0006mod003A:feature:,0000,0094,0099\n");
        Files.createDirectories(sys.resolve("bus/cpu/devices/cpu0"));
        ModuleIndex index = ModuleIndex.parse("kernel/arch/x86/crypto/crc32c-intel.ko:\n",
                "alias cpu:type:x86,ven*fam*mod*:feature:*0094* crc32c_intel\n");
        FakeModules modules = new FakeModules();

        new Coldplug(index, Path.of("/m"), sys, modules, console).run();

        assertThat(modules.loaded).containsExactly("crc32c_intel");
    }

    @Test
    void namedModulesLoadWithTheirDependenciesOnce() throws IOException {
        FakeModules modules = new FakeModules();
        Coldplug coldplug = new Coldplug(ModuleIndexTest.fixture(), Path.of("/m"), sys, modules, console);
        coldplug.loadNamed(List.of("xfs", "loop", "squashfs"));
        coldplug.loadNamed(List.of("xfs"));
        assertThat(modules.loaded).containsExactly("libcrc32c", "xfs", "loop", "squashfs");
    }
}
