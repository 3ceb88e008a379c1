package dev.basalt.init;

import dev.basalt.init.modules.ModuleIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InitModulesTest {
    private static final String RELEASE = "6.12.0-test";

    @TempDir
    Path root;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final Console console = new Console(new PrintStream(output, true), System.nanoTime());

    /** Records loads; modules named in {@code refused} fail as the kernel would refuse them (ENODEV). */
    private static final class FakeModules implements Modules {
        final List<String> loaded = new ArrayList<>();
        final Set<String> refused;

        FakeModules(Set<String> refused) {
            this.refused = refused;
        }

        @Override
        public boolean load(Path file, String parameters) {
            String name = ModuleIndex.nameOf(file.toString());
            if (refused.contains(name)) {
                throw new NativeCallException("finit_module", file.toString(), 19);
            }
            loaded.add(name);
            return true;
        }
    }

    private Init init(Modules modules) throws IOException {
        Path moduleDirectory = root.resolve("lib/modules").resolve(RELEASE);
        Files.createDirectories(moduleDirectory);
        Files.writeString(moduleDirectory.resolve("modules.dep"), """
                kernel/drivers/block/loop.ko:
                kernel/fs/squashfs/squashfs.ko:
                kernel/fs/overlayfs/overlay.ko:
                kernel/crypto/crc32c_generic.ko:
                kernel/lib/libcrc32c.ko:
                kernel/fs/xfs/xfs.ko: kernel/lib/libcrc32c.ko
                kernel/drivers/md/dm-mod.ko:
                kernel/drivers/md/dm-crypt.ko: kernel/drivers/md/dm-mod.ko
                kernel/crypto/xts.ko:
                kernel/crypto/af_alg.ko:
                kernel/crypto/algif_skcipher.ko: kernel/crypto/af_alg.ko
                kernel/drivers/cdrom/cdrom.ko:
                kernel/drivers/scsi/sr_mod.ko: kernel/drivers/cdrom/cdrom.ko
                kernel/fs/isofs/isofs.ko:
                """);
        Files.writeString(moduleDirectory.resolve("modules.alias"), "alias fs-xfs xfs\n");
        Files.createDirectories(root.resolve("sys/bus"));
        Layout layout = new Layout(root, root.resolve("rootfs.sqsh"), root.resolve("newroot"), "/args", "/java");
        Mounts mounts = (source, target, fstype, flags, data) -> {
            throw new AssertionError("loading modules mounts nothing");
        };
        LoopDevices loops = file -> {
            throw new AssertionError("loading modules attaches no loop device");
        };
        return new Init(layout, mounts, modules, loops, null, console);
    }

    @Test
    void loadsStorageModulesAfterTheRequiredOnesWithTheirDependencies() throws IOException {
        FakeModules modules = new FakeModules(Set.of());

        init(modules).loadModules(RELEASE);

        assertThat(modules.loaded).containsExactly("loop", "squashfs", "overlay", "crc32c_generic", "libcrc32c",
                "xfs", "dm_mod", "dm_crypt", "xts", "af_alg", "algif_skcipher", "cdrom", "sr_mod", "isofs");
        assertThat(output.toString()).contains("loaded 11 storage modules: crc32c_generic libcrc32c xfs dm_mod"
                + " dm_crypt xts af_alg algif_skcipher cdrom sr_mod isofs");
    }

    @Test
    void aStorageModuleThatFailsIsReportedAndTheBootGoesOn() throws IOException {
        FakeModules modules = new FakeModules(Set.of("dm_mod"));

        init(modules).loadModules(RELEASE);

        assertThat(modules.loaded).contains("xfs", "isofs").doesNotContain("dm_mod");
        assertThat(output.toString())
                .contains("ERROR module dm_mod failed to load")
                .contains("failed (installing to disk may not work): dm_mod");
    }

    @Test
    void aRequiredModuleThatFailsStopsTheBoot() throws IOException {
        FakeModules modules = new FakeModules(Set.of("squashfs"));
        Init init = init(modules);

        assertThatThrownBy(() -> init.loadModules(RELEASE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("required modules failed to load: [squashfs]");
    }

    @Test
    void storageModulesTheKernelHasBuiltInAreSkipped() throws IOException {
        Path moduleDirectory = root.resolve("lib/modules").resolve(RELEASE);
        FakeModules modules = new FakeModules(Set.of());
        Init init = init(modules);
        Files.writeString(moduleDirectory.resolve("modules.dep"), """
                kernel/drivers/block/loop.ko:
                kernel/fs/squashfs/squashfs.ko:
                kernel/fs/overlayfs/overlay.ko:
                kernel/fs/isofs/isofs.ko:
                """);

        init.loadModules(RELEASE);

        assertThat(modules.loaded).containsExactly("loop", "squashfs", "overlay", "isofs");
        assertThat(output.toString()).contains("loaded 1 storage modules: isofs").doesNotContain("ERROR");
    }
}
