package dev.basalt.init.modules;

import dev.basalt.init.Console;
import dev.basalt.init.Modules;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Loads the drivers for the devices the kernel found before init ran: reads every device's {@code modalias},
 * matches it against modules.alias, and loads the matching modules after their dependencies. Repeats while loading
 * modules makes new devices appear (a PCI driver reveals its child devices), up to a bounded number of rounds.
 *
 * <p>Not thread-safe: one instance is used by init's single thread.
 */
public final class Coldplug {
    private static final int MAX_ROUNDS = 4;

    private final ModuleIndex index;
    private final Path moduleDirectory;
    private final Path sysfs;
    private final Modules modules;
    private final Console console;
    private final Set<String> attempted = new LinkedHashSet<>();

    public Coldplug(ModuleIndex index, Path moduleDirectory, Path sysfs, Modules modules, Console console) {
        this.index = index;
        this.moduleDirectory = moduleDirectory;
        this.sysfs = sysfs;
        this.modules = modules;
        this.console = console;
    }

    /** What a coldplug run did. */
    public record Result(List<String> loaded, List<String> failed, int rounds) {
        public Result {
            loaded = List.copyOf(loaded);
            failed = List.copyOf(failed);
        }
    }

    /** Loads {@code names} (and their dependencies) explicitly, e.g. filesystems, which have no device alias. */
    public Result loadNamed(List<String> names) {
        List<String> loaded = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        loadAll(index.loadOrder(names), loaded, failed);
        return new Result(loaded, failed, 1);
    }

    /** Matches every device's modalias and loads what serves it, until no new module is wanted. */
    public Result run() throws IOException {
        List<String> loaded = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        int rounds = 0;
        while (rounds < MAX_ROUNDS) {
            Set<String> wanted = index.modulesFor(modaliases());
            wanted.removeAll(attempted);
            if (wanted.isEmpty()) {
                break;
            }
            rounds++;
            loadAll(index.loadOrder(wanted), loaded, failed);
        }
        return new Result(loaded, failed, rounds);
    }

    private void loadAll(List<String> order, List<String> loaded, List<String> failed) {
        for (String name : order) {
            if (!attempted.add(name)) {
                continue;
            }
            Path file = moduleDirectory.resolve(index.fileOf(name));
            try {
                if (modules.load(file, "")) {
                    loaded.add(name);
                }
            } catch (RuntimeException e) {
                // A driver that refuses its hardware must not stop the boot; the device just stays unused.
                failed.add(name);
                console.error("module " + name + " failed to load", e);
            }
        }
    }

    /**
     * The modalias of every device on every bus. Reading {@code /sys/bus/BUS/devices/DEV/modalias} visits the same
     * devices as walking all of /sys/devices, with a few directory reads instead of thousands. The CPUs' modalias
     * (their feature flags, which CPU-accelerated crypto and CRC drivers match) is the one exception: the kernel
     * publishes it once, on the cpu subsystem's root ({@code /sys/devices/system/cpu/modalias}), not per CPU.
     */
    List<String> modaliases() throws IOException {
        List<String> result = new ArrayList<>();
        readModalias(sysfs.resolve("devices/system/cpu/modalias"), result);
        Path buses = sysfs.resolve("bus");
        if (!Files.isDirectory(buses)) {
            return result;
        }
        try (DirectoryStream<Path> busDirs = Files.newDirectoryStream(buses)) {
            for (Path bus : busDirs) {
                Path devices = bus.resolve("devices");
                if (!Files.isDirectory(devices)) {
                    continue;
                }
                try (DirectoryStream<Path> devs = Files.newDirectoryStream(devices)) {
                    for (Path dev : devs) {
                        readModalias(dev.resolve("modalias"), result);
                    }
                }
            }
        }
        return result;
    }

    private static void readModalias(Path modalias, List<String> result) {
        if (Files.isReadable(modalias)) {
            try {
                String value = Files.readString(modalias).trim();
                if (!value.isEmpty()) {
                    result.add(value);
                }
            } catch (IOException e) {
                // A device can vanish between listing and reading; it has nothing to load then.
            }
        }
    }
}
