package dev.basalt.image.build;

import dev.basalt.image.cpio.CpioEntry;
import dev.basalt.image.debian.DebianArchive;
import dev.basalt.image.debian.DebianPackage;
import dev.basalt.image.elf.ElfDynamicInfo;
import dev.basalt.image.host.Command;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a Basalt image from Debian packages and the Basalt jars: the rootfs squashfs, the initramfs (JRE, init,
 * kernel modules, rootfs), the kernel, the ISO, the raw disk image and the manifest.
 *
 * <p>Not thread-safe: one build per instance.
 */
public final class ImageBuild {
    /** Debian packages the image takes files from (binaries, and the libraries they load). */
    static final List<String> PACKAGES = List.of("containerd", "runc", "etcd-server", "cryptsetup-bin",
            "xfsprogs", "dosfstools", "libc6", "libgcc-s1", "libseccomp2", "libblkid1", "libcryptsetup12",
            "libpopt0", "libuuid1", "libdevmapper1.02.1", "libedit2", "libinih1", "liburcu8t64", "libssl3t64",
            "libargon2-1", "libjson-c5", "libudev1", "libselinux1", "libpcre2-8-0", "libcap2", "libmd0", "libbsd0",
            "libtinfo6", "liblzma5", "libzstd1", "zlib1g",
            // installing to disk: GRUB's tools and modules for BIOS and UEFI, mtools for the EFI system partition
            "grub2-common", "grub-common", "grub-pc-bin", "grub-efi-amd64-bin", "mtools", "libefivar1t64",
            "libefiboot1t64");

    /** Programs in the root filesystem: source path in the packages -> path in the image. */
    static final List<String[]> PROGRAMS = List.of(
            new String[] {"usr/bin/containerd", "usr/bin/containerd"},
            new String[] {"usr/bin/containerd-shim-runc-v2", "usr/bin/containerd-shim-runc-v2"},
            new String[] {"usr/sbin/runc", "usr/bin/runc"},
            new String[] {"usr/bin/etcd", "usr/bin/etcd"},
            new String[] {"usr/sbin/cryptsetup", "usr/sbin/cryptsetup"},
            new String[] {"usr/sbin/mkfs.xfs", "usr/sbin/mkfs.xfs"},
            new String[] {"usr/sbin/xfs_growfs", "usr/sbin/xfs_growfs"},
            new String[] {"usr/sbin/mkfs.fat", "usr/sbin/mkfs.vfat"},
            new String[] {"usr/sbin/grub-install", "usr/sbin/grub-install"},
            new String[] {"usr/bin/grub-mkimage", "usr/bin/grub-mkimage"},
            new String[] {"usr/bin/mtools", "usr/bin/mtools"});

    /** Symbolic links to programs: path in the image -> link target. mtools picks its command from argv[0]. */
    static final List<String[]> PROGRAM_LINKS = List.of(
            new String[] {"usr/bin/mmd", "mtools"},
            new String[] {"usr/bin/mcopy", "mtools"});

    /**
     * Directories copied whole from the packages to the same path in the image: data, not programs. GRUB's
     * modules for BIOS and UEFI, which grub-install and grub-mkimage read through {@code --directory}; they are
     * ELF objects for the firmware (32-bit for i386-pc) that no Linux loader runs.
     */
    static final List<String> DATA_DIRECTORIES = List.of("usr/lib/grub/i386-pc", "usr/lib/grub/x86_64-efi");

    static final String JVM_FLAGS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -XX:-UsePerfData";
    static final String KERNEL_ARGS = "console=tty0 console=ttyS0,115200n8";

    private final BuildOptions options;
    private final PrintStream log;

    public ImageBuild(BuildOptions options, PrintStream log) {
        this.options = options;
        this.log = log;
    }

    public Manifest run() throws IOException {
        Arch arch = options.arch();
        if (arch != Arch.AMD64) {
            throw new IllegalArgumentException("--arch " + arch.debian + " is not supported yet; only amd64 images"
                    + " can be built (arm64 needs a cross-architecture jlink)");
        }
        Path work = options.cache().resolve("work-" + arch.debian);
        deleteTree(work);
        Files.createDirectories(work);
        Files.createDirectories(options.out());

        step("fetching Debian " + options.suite() + " packages from " + options.mirror());
        DebianArchive archive = new DebianArchive(options.cache(), options.mirror(), options.suite(), arch.debian);
        archive.update();
        String kernelPackage = archive.firstDependency("linux-image-" + arch.debian);
        List<String> names = new ArrayList<>(PACKAGES);
        names.add(kernelPackage);
        List<DebianPackage> packages = archive.download(names);
        Path pool = work.resolve("pool");
        for (DebianPackage deb : packages) {
            DebianArchive.extract(deb, pool);
        }
        // Host tools (depmod, modprobe) look in /lib/modules; trixie packages ship under merged /usr.
        if (!Files.exists(pool.resolve("lib"), LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(pool.resolve("lib"), Path.of("usr/lib"));
        }
        String release = KernelModules.releaseOf(pool);
        step("kernel " + release);

        Path vmlinuz = options.out().resolve("vmlinuz-" + arch.debian);
        Files.copy(pool.resolve("boot/vmlinuz-" + release), vmlinuz, StandardCopyOption.REPLACE_EXISTING);

        step("rootfs: programs, libraries, JRE, Basalt jars");
        Path rootfs = work.resolve("rootfs");
        stageSkeleton(rootfs);
        for (String[] program : PROGRAMS) {
            copyProgram(pool.resolve(program[0]), rootfs.resolve(program[1]));
        }
        for (String[] link : PROGRAM_LINKS) {
            linkProgram(rootfs, link[0], link[1]);
        }
        Set<String> rootfsJre = Jre.modulesFor(options.jdk(), options.machinedJars(), Jre.DAEMON_BASELINE);
        Jre.link(options.jdk(), rootfsJre, rootfs.resolve("usr/lib/basalt/jre"));
        Path jarDir = rootfs.resolve("usr/lib/basalt/machined");
        Files.createDirectories(jarDir);
        List<String> classpath = new ArrayList<>();
        for (Path jar : options.machinedJars()) {
            NativeLibraryTrimmer.copy(jar, jarDir.resolve(jar.getFileName()), arch);
            classpath.add("/usr/lib/basalt/machined/" + jar.getFileName());
        }
        Files.writeString(rootfs.resolve("usr/lib/basalt/machined.args"), JVM_FLAGS
                + " -Xmx128m --enable-native-access=ALL-UNNAMED -cp " + String.join(":", classpath)
                + " dev.basalt.machined.Main\n");
        KernelModules modules = new KernelModules(pool, release);
        List<String> moduleFiles = modules.install(rootfs, KernelModules.WANTED);
        LibraryResolver libraries = new LibraryResolver(pool, arch);
        libraries.installLoader(rootfs);
        Set<String> rootfsLibs = libraries.resolve(rootfs);
        // After the libraries: the data directories hold ELF objects the library resolver must not read as programs.
        for (String directory : DATA_DIRECTORIES) {
            copyDataDirectory(pool.resolve(directory), rootfs.resolve(directory));
        }
        checkNoShell(rootfs);

        Path squashfs = options.out().resolve("rootfs-" + arch.debian + ".sqsh");
        Files.deleteIfExists(squashfs);
        // zstd, not xz: xz with the x86 filter saves only ~3 % here, and under TCG its decompression made the
        // machined JVM's start (reading libjvm, the module image and the CDS archive) several times slower.
        step("squashfs (zstd)");
        Command.run(null, List.of("mksquashfs", rootfs.toString(), squashfs.toString(), "-comp", "zstd",
                // 128 KiB blocks: the JVM reads its module image and CDS archive at random, and every page
                // read decompresses a whole block.
                "-Xcompression-level", "19", "-b", "128K", "-noappend", "-all-root", "-no-xattrs", "-quiet",
                "-mkfs-time", Long.toString(Initramfs.MTIME), "-all-time", Long.toString(Initramfs.MTIME)));

        step("initramfs: JRE (java.base), init, modules, rootfs");
        Path initramfs = work.resolve("initramfs");
        for (String dir : List.of("dev", "proc", "sys", "run", "newroot", "usr/lib/basalt/init")) {
            Files.createDirectories(initramfs.resolve(dir));
        }
        Files.createSymbolicLink(initramfs.resolve("lib"), Path.of("usr/lib"));
        Set<String> initJre = new TreeSet<>(Set.of("java.base"));
        Jre.link(options.jdk(), initJre, initramfs.resolve("usr/lib/basalt/jre"));
        Files.copy(options.initJar(), initramfs.resolve("usr/lib/basalt/init/init.jar"));
        Files.writeString(initramfs.resolve("usr/lib/basalt/init.args"), JVM_FLAGS
                + " -Xmx48m --enable-native-access=ALL-UNNAMED -cp /usr/lib/basalt/init/init.jar dev.basalt.init.Main\n");
        // The kernel runs /init through binfmt_script: the interpreter gets the rest of the line as one argument,
        // which java reads as an argument file. No shell is involved.
        Path init = initramfs.resolve("init");
        Files.writeString(init, "#!/usr/lib/basalt/jre/bin/java @/usr/lib/basalt/init.args\n");
        Files.setPosixFilePermissions(init, PosixFilePermissions.fromString("rwxr-xr-x"));
        modules.install(initramfs, KernelModules.BOOT);
        libraries.installLoader(initramfs);
        libraries.resolve(initramfs);
        linkerCache(initramfs, arch);
        Path initramfsXz = options.out().resolve("initramfs-" + arch.debian + ".xz");
        Path storedSquashfs = work.resolve("rootfs.sqsh");
        Files.copy(squashfs, storedSquashfs);
        Initramfs.write(initramfs, List.of(CpioEntry.characterDevice("dev/console", 0600, 5, 1, Initramfs.MTIME)),
                initramfsXz, List.of(storedSquashfs));

        step("ISO (GRUB, BIOS + UEFI)");
        Path iso = options.out().resolve("basalt-" + arch.debian + ".iso");
        BootMedia.iso(work.resolve("iso"), vmlinuz, initramfsXz, KERNEL_ARGS, iso);
        step("raw disk image (GPT, GRUB for BIOS + UEFI)");
        Path raw = options.out().resolve("basalt-" + arch.debian + ".raw");
        BootMedia.rawDisk(work.resolve("raw"), vmlinuz, initramfsXz, KERNEL_ARGS, raw);

        List<Manifest.Artifact> artifacts = new ArrayList<>();
        for (Path artifact : List.of(vmlinuz, initramfsXz, squashfs, iso, raw)) {
            artifacts.add(new Manifest.Artifact(artifact.getFileName().toString(), Files.size(artifact)));
        }
        Manifest manifest = new Manifest(arch, release, packages, initJre, rootfsJre, moduleFiles,
                List.copyOf(rootfsLibs), artifacts);
        manifest.write(options.out().resolve("manifest-" + arch.debian + ".json"));
        if (!options.keepWork()) {
            deleteTree(work);
        }
        return manifest;
    }

    private void step(String what) {
        log.println("build-image: " + what);
        log.flush();
    }

    /** The root filesystem's directories, merged-/usr links and /etc skeleton. */
    static void stageSkeleton(Path rootfs) throws IOException {
        // An empty usr/share/locale: grub-install copies translations from it and warns when it is missing.
        for (String dir : List.of("usr/bin", "usr/sbin", "usr/lib/basalt", "usr/share/locale", "dev", "proc", "sys",
                "run", "system", "var", "tmp", "etc", "opt", "root", "mnt")) {
            Files.createDirectories(rootfs.resolve(dir));
        }
        for (String[] link : List.of(new String[] {"bin", "usr/bin"}, new String[] {"sbin", "usr/sbin"},
                new String[] {"lib", "usr/lib"})) {
            Files.createSymbolicLink(rootfs.resolve(link[0]), Path.of(link[1]));
        }
        Path etc = rootfs.resolve("etc");
        Files.writeString(etc.resolve("os-release"), """
                NAME="Basalt"
                ID=basalt
                PRETTY_NAME="Basalt"
                HOME_URL="https://basalt.dev/"
                """);
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/usr/sbin/nologin\n"
                + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\nnogroup:x:65534:\n");
        Files.writeString(etc.resolve("nsswitch.conf"), "passwd: files\ngroup: files\nhosts: files dns\n");
        Files.writeString(etc.resolve("hosts"), "127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n");
        Files.writeString(etc.resolve("resolv.conf"), "");
        Files.writeString(etc.resolve("hostname"), "basalt\n");
        Files.writeString(etc.resolve("machine-id"), "");
        // mtools writes the EFI system partition, whose size need not be a whole number of its nominal tracks.
        // Its default code page (850) needs glibc's gconv modules, which the image does not carry; CP367 is ASCII,
        // which glibc converts without them, and every name Basalt writes there is ASCII.
        Files.writeString(etc.resolve("mtools.conf"), "mtools_skip_check=1\nDEFAULT_CODEPAGE=367\n");
    }

    /**
     * The java launcher finds libjli.so through its $ORIGIN run path, which the dynamic loader resolves with
     * /proc/self/exe; as the initramfs' first process it runs before /proc is mounted. A loader cache naming the
     * JRE's library directory lets it find libjli.so anyway.
     */
    static void linkerCache(Path stage, Arch arch) throws IOException {
        Files.createDirectories(stage.resolve("etc"));
        Files.writeString(stage.resolve("etc/ld.so.conf"), "/usr/lib/basalt/jre/lib\n/usr/lib/" + arch.multiarch + "\n");
        Command.run(null, List.of("ldconfig", "-X", "-r", stage.toString()));
    }

    private static void copyProgram(Path source, Path target) throws IOException {
        if (!Files.exists(source)) {
            throw new IOException("program " + source + " is missing from the unpacked packages");
        }
        if (!ElfDynamicInfo.isElf(source)) {
            throw new IOException(source + " is not an ELF executable (a script would need a shell, which the image"
                    + " does not have)");
        }
        Files.createDirectories(target.getParent());
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A symbolic link {@code link} (path in the image) to {@code target}, which must be a program already there. */
    static void linkProgram(Path rootfs, String link, String target) throws IOException {
        Path path = rootfs.resolve(link);
        if (!Files.isRegularFile(path.resolveSibling(target))) {
            throw new IOException("link " + link + " -> " + target + ": the image holds no program " + target
                    + " next to it");
        }
        Files.createDirectories(path.getParent());
        Files.deleteIfExists(path);
        Files.createSymbolicLink(path, Path.of(target));
    }

    /**
     * Copies the directory tree {@code source} to {@code target}: directories, regular files (permissions kept)
     * and symbolic links that stay inside the tree. Anything else, or a link leading out, fails the build.
     */
    static void copyDataDirectory(Path source, Path target) throws IOException {
        if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("data directory " + source + " is missing from the unpacked packages");
        }
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(target.resolve(source.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path out = target.resolve(source.relativize(file).toString());
                if (attrs.isSymbolicLink()) {
                    Path linkTarget = Files.readSymbolicLink(file);
                    if (linkTarget.isAbsolute() || !file.getParent().resolve(linkTarget).normalize()
                            .startsWith(source)) {
                        throw new IOException(file + " links to " + linkTarget + ", outside " + source);
                    }
                    Files.deleteIfExists(out);
                    Files.createSymbolicLink(out, linkTarget);
                } else if (attrs.isRegularFile()) {
                    Files.copy(file, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                } else {
                    throw new IOException(file + " in data directory " + source
                            + " is neither a file, a directory nor a link");
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** The image must not hold a shell: fail the build if one crept in. */
    static void checkNoShell(Path rootfs) throws IOException {
        for (String shell : List.of("usr/bin/sh", "usr/bin/bash", "usr/bin/dash", "usr/bin/busybox", "bin/sh")) {
            if (Files.exists(rootfs.resolve(shell), LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("the root filesystem holds " + shell + "; Basalt ships no shell");
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
