package dev.basalt.init;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SwitchRootTest {
    @TempDir
    Path root;

    private Layout layout() {
        return new Layout(root, root.resolve("rootfs.sqsh"), root.resolve("newroot"), "/args", "/java");
    }

    private final List<String> calls = new ArrayList<>();

    private final Mounts mounts = (source, target, fstype, flags, data) ->
            calls.add("mount " + source + " " + target + " " + fstype + " " + flags);

    private final Syscalls syscalls = new Syscalls() {
        @Override
        public void chdir(String path) {
            calls.add("chdir " + path);
        }

        @Override
        public void chroot(String path) {
            calls.add("chroot " + path);
        }

        @Override
        public void execve(String path, List<String> argv, List<String> env) {
            calls.add("execve " + path);
        }

        @Override
        public void sync() {
        }

        @Override
        public void reboot(int command) {
        }
    };

    @Test
    void deletesInitramfsContentButKeepsTheNewRoot() throws IOException {
        Files.createDirectories(root.resolve("usr/lib/basalt/jre/lib"));
        Files.writeString(root.resolve("usr/lib/basalt/jre/lib/libjvm.so"), "x");
        Files.writeString(root.resolve("rootfs.sqsh"), "image");
        Files.createDirectories(root.resolve("newroot/usr/bin"));
        Files.writeString(root.resolve("newroot/usr/bin/keep"), "k");
        Files.createSymbolicLink(root.resolve("init"), Path.of("usr/lib/basalt/jre/bin/java"));

        long deleted = SwitchRoot.deleteInitramfs(layout());

        assertThat(deleted).isEqualTo(8);
        assertThat(root.resolve("usr")).doesNotExist();
        assertThat(root.resolve("init")).doesNotExist();
        assertThat(root.resolve("newroot/usr/bin/keep")).hasContent("k");
    }

    @Test
    void movesPseudoFilesystemsThenEntersTheNewRoot() throws IOException {
        for (String dir : SwitchRoot.CARRIED_MOUNTS) {
            Files.createDirectories(layout().inNewRoot(dir));
        }
        SwitchRoot switchRoot = new SwitchRoot(mounts, syscalls);
        switchRoot.moveMounts(layout());
        switchRoot.enter(layout());

        assertThat(calls).containsExactly(
                "mount " + root.resolve("dev") + " " + root.resolve("newroot/dev") + " null 8192",
                "mount " + root.resolve("proc") + " " + root.resolve("newroot/proc") + " null 8192",
                "mount " + root.resolve("sys") + " " + root.resolve("newroot/sys") + " null 8192",
                "mount " + root.resolve("run") + " " + root.resolve("newroot/run") + " null 8192",
                "chdir " + root.resolve("newroot"),
                "mount . / null 8192",
                "chroot .",
                "chdir /");
    }

    @Test
    void missingMountPointInTheNewRootIsNamed() {
        SwitchRoot switchRoot = new SwitchRoot(mounts, syscalls);
        assertThatThrownBy(() -> switchRoot.moveMounts(layout())).hasMessageContaining("/dev");
    }
}
