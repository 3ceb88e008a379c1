package dev.basalt.init;

import dev.basalt.init.modules.Coldplug;
import dev.basalt.init.modules.ModuleIndex;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The initramfs' PID 1: mounts the pseudo-filesystems, loads drivers, assembles the root filesystem from the
 * squashfs image with tmpfs where the system writes, switches to it and executes machined.
 *
 * <p>Not thread-safe: {@link #run()} is called once, by the JVM's main thread.
 */
public final class Init {
    /** Modules with no device alias that init always needs; the boot stops if one fails. */
    static final List<String> REQUIRED_MODULES = List.of("loop", "squashfs", "overlay");

    /**
     * Modules machined needs to install to and boot from disk: XFS, device mapper and dm-crypt with the ciphers
     * LUKS2 uses (aes-xts-plain64; cryptsetup reaches them through AF_ALG), and the CD-ROM stack to read the
     * install medium. The root filesystem has no module loader and the kernel's request_module helper has no
     * modprobe to run, so they are loaded here. The CRC32C implementations come before libcrc32c, which binds to
     * whichever is registered when it loads. A failure is reported on the console and the boot goes on: a machine
     * that only runs from the ISO does not need them.
     */
    static final List<String> STORAGE_MODULES = List.of("crc32c_generic", "libcrc32c", "xfs", "dm_mod", "dm_crypt",
            "xts", "af_alg", "algif_skcipher", "cdrom", "sr_mod", "isofs");

    private final Layout layout;
    private final Mounts mounts;
    private final Modules modules;
    private final LoopDevices loops;
    private final Syscalls syscalls;
    private final Console console;

    public Init(Layout layout, Mounts mounts, Modules modules, LoopDevices loops, Syscalls syscalls,
                Console console) {
        this.layout = layout;
        this.mounts = mounts;
        this.modules = modules;
        this.loops = loops;
        this.syscalls = syscalls;
        this.console = console;
    }

    /** Runs every step up to and including execve; returns only by throwing. */
    public void run() throws IOException {
        mountPseudoFilesystems();
        String release = Files.readString(layout.inRoot("/proc/sys/kernel/osrelease")).trim();
        console.info("kernel " + release);
        loadModules(release);
        assembleRoot();
        SwitchRoot switchRoot = new SwitchRoot(mounts, syscalls);
        switchRoot.moveMounts(layout);
        long deleted = SwitchRoot.deleteInitramfs(layout);
        console.info("freed initramfs (" + deleted + " entries)");
        switchRoot.enter(layout);
        console.info("switched root; executing machined");
        List<String> argv = List.of(layout.java(), "@" + layout.machinedArgs());
        syscalls.execve(layout.java(), argv, List.of("PATH=/usr/sbin:/usr/bin", "HOME=/", "LANG=C.UTF-8"));
    }

    void mountPseudoFilesystems() throws IOException {
        mountOn("proc", "/proc", "proc", Mounts.MS_NOSUID | Mounts.MS_NODEV | Mounts.MS_NOEXEC, null);
        mountOn("sysfs", "/sys", "sysfs", Mounts.MS_NOSUID | Mounts.MS_NODEV | Mounts.MS_NOEXEC, null);
        mountOn("devtmpfs", "/dev", "devtmpfs", Mounts.MS_NOSUID, "mode=0755");
        mountOn("tmpfs", "/run", "tmpfs", Mounts.MS_NOSUID | Mounts.MS_NODEV, "mode=0755");
        console.info("mounted /proc /sys /dev /run");
    }

    private void mountOn(String source, String target, String type, long flags, String data) throws IOException {
        Path path = layout.inRoot(target);
        Files.createDirectories(path);
        mounts.mount(source, path.toString(), type, flags, data);
    }

    void loadModules(String release) throws IOException {
        Path moduleDirectory = layout.inRoot("/lib/modules/" + release);
        ModuleIndex index = ModuleIndex.load(moduleDirectory);
        Coldplug coldplug = new Coldplug(index, moduleDirectory, layout.inRoot("/sys"), modules, console);
        Coldplug.Result named = coldplug.loadNamed(REQUIRED_MODULES);
        Coldplug.Result devices = coldplug.run();
        List<String> loaded = new ArrayList<>(named.loaded());
        loaded.addAll(devices.loaded());
        console.info("loaded " + loaded.size() + " modules in " + devices.rounds() + " coldplug rounds: "
                + String.join(" ", loaded));
        if (!named.failed().isEmpty()) {
            throw new IllegalStateException("required modules failed to load: " + named.failed());
        }
        // After coldplug, so the disk and CD-ROM controllers' drivers (and CPU-accelerated CRC32C, matched by
        // CPU feature) are already there; modules coldplug loaded are not tried twice.
        Coldplug.Result storage = coldplug.loadNamed(STORAGE_MODULES);
        console.info("loaded " + storage.loaded().size() + " storage modules: " + String.join(" ", storage.loaded())
                + (storage.failed().isEmpty() ? ""
                        : "; failed (installing to disk may not work): " + String.join(" ", storage.failed())));
    }

    void assembleRoot() throws IOException {
        Path newRoot = layout.newRoot();
        Files.createDirectories(newRoot);
        Path device = loops.attachReadOnly(layout.squashfs());
        mounts.mount(device.toString(), newRoot.toString(), "squashfs", Mounts.MS_RDONLY | Mounts.MS_NODEV, null);
        console.info("mounted " + layout.squashfs() + " via " + device + " on " + newRoot + " (read-only)");
        // Writable places on the read-only root; /var is replaced by the EPHEMERAL partition once installed.
        mounts.mount("tmpfs", layout.inNewRoot("/system").toString(), "tmpfs",
                Mounts.MS_NOSUID | Mounts.MS_NODEV, "mode=0755");
        mounts.mount("tmpfs", layout.inNewRoot("/var").toString(), "tmpfs", Mounts.MS_NOSUID | Mounts.MS_NODEV,
                "mode=0755");
        mounts.mount("tmpfs", layout.inNewRoot("/tmp").toString(), "tmpfs", Mounts.MS_NOSUID | Mounts.MS_NODEV,
                "mode=1777");
        Path upper = layout.inNewRoot("/system/overlays/etc/upper");
        Path work = layout.inNewRoot("/system/overlays/etc/work");
        Files.createDirectories(upper);
        Files.createDirectories(work);
        Path etc = layout.inNewRoot("/etc");
        mounts.mount("overlay", etc.toString(), "overlay", Mounts.MS_NOSUID | Mounts.MS_NODEV,
                "lowerdir=" + etc + ",upperdir=" + upper + ",workdir=" + work);
        console.info("tmpfs on /system /var /tmp, overlay on /etc");
    }
}
