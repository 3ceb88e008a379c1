package dev.basalt.qemu;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * networkd's VLAN and bond support on Basalt's own kernel, which (unlike the build host's) has {@code 8021q},
 * {@code bonding} and {@code dummy}: boots that kernel with a small test initramfs (busybox, the image's JRE,
 * networkd's classes and the guest program {@code dev.basalt.networkd.guest.VlanBondGuest}) and reads the guest's
 * report from the serial console.
 *
 * <p>The initramfs is assembled per run from the image build's outputs ({@link BasaltImage} runs {@code bin/build-image}
 * when they are missing): the kernel from {@code _out/}, the JRE and C libraries out of {@code _out/}'s initramfs,
 * the modules from the linux-image package the build downloaded (the image ships only the modules it needs),
 * busybox-static from the image's private apt state (as {@code bench/boot} does), and networkd's compiled classes
 * and test classes from this build.
 */
@Tag("integration")
class NetworkdGuestTest {
    /** Kernel, busybox and one JVM start under TCG: ~15 s to the verdict on this 2-core machine; room for a loaded one. */
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(240);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(5);
    /**
     * Module name to path in the kernel package. Per modules.dep 8021q needs llc, stp, garp and mrp, bonding needs tls;
     * the init script loads them in that order.
     */
    private static final Map<String, String> MODULES = Map.of(
            "llc", "kernel/net/llc/llc.ko.xz", "stp", "kernel/net/802/stp.ko.xz", "garp", "kernel/net/802/garp.ko.xz",
            "mrp", "kernel/net/802/mrp.ko.xz", "8021q", "kernel/net/8021q/8021q.ko.xz", "tls", "kernel/net/tls/tls.ko.xz",
            "bonding", "kernel/drivers/net/bonding/bonding.ko.xz", "dummy", "kernel/drivers/net/dummy.ko.xz");

    @TempDir
    Path tmp;

    @Test
    void vlanAndActiveBackupBondAreCreatedListedAndDeletedOnTheRealKernel() throws Exception {
        BasaltImage image = BasaltImage.amd64();
        Path initrd = assembleInitramfs();

        QemuMachine.Builder builder = QemuMachine.builder().kernel(image.kernel()).initrd(initrd)
                .append("console=ttyS0 panic=-1 loglevel=4").serialLog(BootTestSupport.logFile("networkd-guest"));
        try (QemuMachine vm = builder.start()) {
            String verdict = vm.awaitLine(l -> l.startsWith("netguest: PASS") || l.startsWith("netguest: FAIL"),
                    "the guest's PASS/FAIL line", RUN_TIMEOUT);
            System.out.println("networkd guest: verdict after " + vm.elapsed().toMillis() + " ms");
            List<String> lines = vm.lines();

            assertThat(verdict).as("guest verdict; serial log tail:%n%s", vm.tail(60)).isEqualTo("netguest: PASS");
            assertThat(vm.printed("netguest: insmod")).as("a module failed to load").isFalse();
            assertThat(vm.printed("netguest: cannot create dummy")).as("busybox could not create a dummy").isFalse();
            // Our listing (Rtnetlink.links and our IFLA_BOND_MODE decoding).
            assertThat(lines).anyMatch(l -> l.startsWith("netguest ours: d0.100 ") && l.contains(" kind=vlan vlan=100 parent=d0 ")
                    && l.contains(" mtu=1400 "));
            assertThat(lines).anyMatch(l -> l.startsWith("netguest ours: bond0 ") && l.contains(" kind=bond ")
                    && l.contains(" mtu=9000 "));
            assertThat(lines).contains("netguest ours: bond0 mode=active-backup");
            assertThat(lines).anyMatch(l -> l.startsWith("netguest ours: d1 ") && l.contains(" master=bond0 "));
            // busybox ip and the kernel's own files agree.
            assertThat(lines).anyMatch(l -> l.startsWith("netguest ip: ") && l.contains(": d0.100@d0:") && l.contains("mtu 1400"));
            assertThat(lines).anyMatch(l -> l.startsWith("netguest ip: ") && l.contains(": d1:") && l.contains("master bond0"));
            assertThat(lines).anyMatch(l -> l.startsWith("netguest ip: ") && l.contains(": bond0:") && l.contains("mtu 9000"));
            assertThat(lines).anyMatch(l -> l.startsWith("netguest kernel: /proc/net/vlan/config: ")
                    && l.replace(" ", "").endsWith("d0.100|100|d0"));
            assertThat(lines).contains("netguest kernel: bond0 bonding/mode: active-backup 1",
                    "netguest kernel: bond0 bonding/slaves: d1", "netguest kernel: bond0 bonding/active_slave: d1");
            // After Rtnetlink.deleteLink both are gone, for us, for busybox ip and for the kernel.
            String oursAfter = lines.stream().filter(l -> l.startsWith("netguest ours after delete: ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no 'netguest ours after delete' line"));
            assertThat(oursAfter.split(" ")).contains("d0", "d1").doesNotContain("d0.100", "bond0");
            assertThat(lines).anyMatch(l -> l.startsWith("netguest ip after delete: ") && l.contains(": d1:"));
            assertThat(lines).noneMatch(l -> l.startsWith("netguest ip after delete: ")
                    && (l.contains("d0.100") || l.contains("bond0")));
            assertThat(lines).contains("netguest kernel after delete: /proc/net/vlan/config entries: 0, "
                    + "/sys/class/net/bond0 absent");

            assertThat(vm.awaitExit(EXIT_TIMEOUT)).isZero();
            assertThat(vm.printed("Kernel panic")).isFalse();
        }
    }

    private Path assembleInitramfs() throws IOException, InterruptedException, URISyntaxException {
        Path root = BasaltImage.repositoryRoot();
        BasaltImage image = BasaltImage.amd64();
        Path stage = tmp.resolve("initramfs");
        for (String dir : List.of("bin", "proc", "sys", "dev", "modules", "classes")) {
            Files.createDirectories(stage.resolve(dir));
        }
        try (InputStream init = NetworkdGuestTest.class.getResourceAsStream("/networkd-guest/init")) {
            if (init == null) {
                throw new IllegalStateException("test resource /networkd-guest/init missing from the test classpath");
            }
            Files.copy(init, stage.resolve("init"));
        }
        Files.setPosixFilePermissions(stage.resolve("init"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.copy(busybox(root), stage.resolve("bin/busybox"));
        Files.setPosixFilePermissions(stage.resolve("bin/busybox"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(stage.resolve("bin/sh"), Path.of("busybox"));

        // The JRE and the C libraries it links against, exactly as the image's initramfs ships them.
        run(List.of("sh", "-c", "xz -dc \"$0\" | cpio -idm --quiet 'lib' 'lib64' 'lib64/*' 'usr/lib/basalt/jre/*' "
                + "'usr/lib/x86_64-linux-gnu/*'", image.initramfs().toString()), stage);
        if (!Files.isExecutable(stage.resolve("usr/lib/basalt/jre/bin/java"))) {
            throw new IllegalStateException(image.initramfs() + " holds no usr/lib/basalt/jre/bin/java");
        }

        // The modules from the kernel package the image was built from: the image itself ships only the ones it needs.
        Path kernelDeb = kernelPackage(root);
        Path unpacked = tmp.resolve("kernel-deb");
        Files.createDirectories(unpacked);
        List<String> tarArgs = new ArrayList<>(List.of("sh", "-c", "dpkg-deb --fsys-tarfile \"$0\" | tar -x --wildcards \"$@\"",
                kernelDeb.toString()));
        MODULES.values().forEach(path -> tarArgs.add("*/" + path));
        run(tarArgs, unpacked);
        Path modules;
        try (Stream<Path> releases = Files.list(unpacked.resolve("usr/lib/modules"))) {
            modules = releases.findFirst().orElseThrow(() -> new IllegalStateException(kernelDeb + " has no usr/lib/modules/<release>"));
        }
        for (Map.Entry<String, String> module : MODULES.entrySet()) {
            Path compressed = modules.resolve(module.getValue());
            if (!Files.isRegularFile(compressed)) {
                throw new IllegalStateException("kernel module " + module.getKey() + " not found at " + compressed);
            }
            // Decompressed on the host: busybox insmod and the kernel need not agree on xz support.
            run(List.of("sh", "-c", "xz -dc \"$0\" > \"$1\"", compressed.toString(),
                    stage.resolve("modules/" + module.getKey() + ".ko").toString()), stage);
        }

        Path networkd = root.resolve("networkd").resolve(buildDirectoryName());
        Path machinery = root.resolve("machinery").resolve(buildDirectoryName());
        Path guest = networkd.resolve("test-classes/dev/basalt/networkd/guest");
        for (Path needed : List.of(networkd.resolve("classes"), machinery.resolve("classes"), guest)) {
            if (!Files.isDirectory(needed)) {
                throw new IllegalStateException(needed + " missing: build networkd and its tests in the same reactor first "
                        + "(./mvnw -pl networkd,qemu-tests -am verify)");
            }
        }
        copyTree(networkd.resolve("classes"), stage.resolve("classes/networkd"));
        copyTree(machinery.resolve("classes"), stage.resolve("classes/machinery"));
        copyTree(guest, stage.resolve("classes/guest/dev/basalt/networkd/guest"));

        Path initrd = tmp.resolve("networkd-guest.cpio");
        run(List.of("sh", "-c", "cd \"$0\" && find . | LC_ALL=C sort | cpio -o -H newc --quiet > \"$1\"",
                stage.toString(), initrd.toString()), stage);
        return initrd;
    }

    /** The linux-image package bin/build-image downloaded for the kernel release in _out's manifest. */
    private static Path kernelPackage(Path root) throws IOException {
        String manifest = Files.readString(root.resolve("_out/manifest-amd64.json"));
        Matcher release = Pattern.compile("\"kernelRelease\"\\s*:\\s*\"([^\"]+)\"").matcher(manifest);
        if (!release.find()) {
            throw new IllegalStateException("_out/manifest-amd64.json names no kernelRelease");
        }
        Path debs = root.resolve(".cache/apt-" + System.getenv().getOrDefault("BASALT_DEBIAN_SUITE", "trixie") + "-amd64/debs");
        String prefix = "linux-image-" + release.group(1) + "_";
        try (Stream<Path> files = Files.list(debs)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix) && f.getFileName().toString().endsWith(".deb"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no " + prefix + "*.deb in " + debs
                            + " (bin/build-image downloads it)"));
        }
    }

    /** The name of this build's output directory ({@code target}, or what {@code -Dbasalt.target} chose). */
    private static String buildDirectoryName() throws URISyntaxException {
        Path testClasses = Path.of(NetworkdGuestTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return testClasses.getParent().getFileName().toString();
    }

    /** busybox-static from the image's private apt state, downloaded once into .cache/networkd-guest/. */
    private Path busybox(Path root) throws IOException, InterruptedException {
        Path debs = root.resolve(".cache/networkd-guest/debs");
        Files.createDirectories(debs);
        Path deb = findDeb(debs);
        if (deb == null) {
            // bench/boot keeps the same package in its own cache; no need to fetch it twice.
            deb = findDeb(root.resolve(".cache/bench-boot/debs"));
        }
        if (deb == null) {
            Path apt = root.resolve(".cache/apt-" + System.getenv().getOrDefault("BASALT_DEBIAN_SUITE", "trixie") + "-amd64");
            if (!Files.isRegularFile(apt.resolve("sources.list"))) {
                throw new IllegalStateException("no apt state at " + apt + " (bin/build-image creates it)");
            }
            run(List.of("apt-get", "-q", "-o", "Dir::Etc::SourceList=" + apt.resolve("sources.list"),
                    "-o", "Dir::Etc::SourceParts=/dev/null", "-o", "Dir::State::Lists=" + apt.resolve("lists"),
                    "-o", "Dir::State::status=" + apt.resolve("status"), "-o", "Dir::Cache=" + apt.resolve("cache"),
                    "-o", "APT::Architecture=amd64", "-o", "APT::Sandbox::User=root", "-o", "Debug::NoLocking=1",
                    "download", "busybox-static"), debs);
            deb = findDeb(debs);
            if (deb == null) {
                throw new IllegalStateException("apt-get download busybox-static left no .deb in " + debs);
            }
        }
        Path unpacked = tmp.resolve("busybox-deb");
        run(List.of("dpkg", "-x", deb.toString(), unpacked.toString()), tmp);
        return unpacked.resolve("usr/bin/busybox");
    }

    private static Path findDeb(Path debs) throws IOException {
        if (!Files.isDirectory(debs)) {
            return null;
        }
        try (Stream<Path> files = Files.list(debs)) {
            return files.filter(f -> f.getFileName().toString().startsWith("busybox-static_")
                    && f.getFileName().toString().endsWith(".deb")).findFirst().orElse(null);
        }
    }

    private static void run(List<String> argv, Path directory) throws IOException, InterruptedException {
        Path output = Files.createTempFile("networkd-guest-tool", ".log");
        try {
            Process process = new ProcessBuilder(argv).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", argv) + " did not finish within " + TOOL_TIMEOUT.toSeconds() + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", argv) + " exited " + process.exitValue() + ": "
                        + Files.readString(output).strip());
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Copies {@code from} to {@code to} recursively, preserving permissions and symbolic links. */
    private static void copyTree(Path from, Path to) throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(from)) {
            walk.forEach(all::add);
        }
        for (Path source : all) {
            Path target = to.resolve(from.relativize(source).toString());
            try {
                if (Files.isSymbolicLink(source)) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Files.readSymbolicLink(source));
                } else if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("copying " + source + " to " + target, e);
            }
        }
    }
}
