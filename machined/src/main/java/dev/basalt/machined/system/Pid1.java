package dev.basalt.machined.system;

import dev.basalt.machined.sequencer.Initialize;
import dev.basalt.machined.sequencer.SequenceOutcome;
import dev.basalt.machined.sequencer.Sequencer;
import dev.basalt.machined.sequencer.Task;
import dev.basalt.machined.system.linux.LinuxKernel;
import sun.misc.Signal;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * machined as PID 1: takes over from init, disables the kernel's Ctrl-Alt-Del reboot (it becomes SIGINT), turns
 * SIGTERM and SIGINT into an orderly power-off, reaps orphans, runs the Initialize sequence and then lives for as
 * long as the machine does. A fatal error anywhere reboots after a delay; this process never exits.
 *
 * <p>{@link #main} is the entry point the image starts; it runs on the main thread once.
 */
public final class Pid1 {
    private static final Duration REAP_PERIOD = Duration.ofMillis(500);
    private static final Duration DEFAULT_FATAL_DELAY = Duration.ofSeconds(10);

    private Pid1() {
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        SystemConsole console = new SystemConsole(out);
        long pid = ProcessHandle.current().pid();
        if (pid != 1) {
            console.line("machined", "the system core runs only as PID 1 (this is pid " + pid
                    + "); it powers the machine off and reboots it");
            System.exit(2);
        }
        console.line("machined", "PID 1 started (" + uptime() + " s since the kernel started)");
        if (dev.basalt.machined.node.ContainerPlatform.requested(System.getenv(), Path.of("/proc/cmdline"))) {
            // Container platform: no kernel, disk or power work; the configured-node runtime owns PID 1 from here.
            dev.basalt.machined.node.ConfiguredNode.run(console, out, new LinuxKernel());
        }
        Kernel kernel = new LinuxKernel();
        Power power = new Power(kernel, console, Path.of("/proc/self/mountinfo"));
        Map<String, String> cmdline = commandLine(console);
        Duration fatalDelay = Optional.ofNullable(cmdline.get("basalt.fatal_reboot_delay"))
                .map(s -> Duration.ofSeconds(Long.parseLong(s))).orElse(DEFAULT_FATAL_DELAY);
        Thread.setDefaultUncaughtExceptionHandler((thread, e) ->
                power.fatal("uncaught exception in thread " + thread.getName(), e, fatalDelay));
        try {
            run(kernel, power, console, cmdline, fatalDelay, out, start);
        } catch (Throwable t) {
            power.fatal("machined failed", t, fatalDelay);
        }
        Power.parkForever();
    }

    private static void run(Kernel kernel, Power power, SystemConsole console, Map<String, String> cmdline,
                            Duration fatalDelay, PrintStream out, long start) throws IOException {
        kernel.reboot(Kernel.RB_DISABLE_CAD);
        for (String name : List.of("TERM", "INT")) {
            // The handler runs on the JVM's signal thread; shutdown blocks, so it moves to its own thread.
            Signal.handle(new Signal(name), signal -> Thread.ofPlatform().name("shutdown").start(() ->
                    power.shutdown(Power.Action.POWER_OFF, "received SIG" + name)));
        }
        Reaper reaper = new Reaper(kernel, new ProcessTable(Path.of("/proc")), 1, console);
        reaper.startLoop(REAP_PERIOD);
        Optional<TestHook> hook = TestHook.fromCommandLine(cmdline.get("basalt.test"));
        hook.ifPresent(h -> console.line("machined", "test hook " + h + " requested on the kernel command line"));

        List<Task> extra = new ArrayList<>();
        if (hook.equals(Optional.of(TestHook.FATAL))) {
            extra.add(new Task("testFatal", () -> {
                throw new IllegalStateException("fatal error forced by basalt.test=fatal");
            }));
        }
        String rawCmdline = String.join(" ", cmdline.entrySet().stream()
                .map(e -> e.getValue().isEmpty() ? e.getKey() : e.getKey() + "=" + e.getValue()).toList());
        dev.basalt.machined.metal.MetalPower metalPower = new dev.basalt.machined.metal.MetalPower(power);
        dev.basalt.blockd.fs.LinuxMounter mounter = new dev.basalt.blockd.fs.LinuxMounter();
        dev.basalt.machinery.exec.ProcessExec exec = dev.basalt.machinery.exec.ProcessExec.system();
        dev.basalt.machined.metal.MetalPlatform metal = new dev.basalt.machined.metal.MetalPlatform(Path.of("/"),
                rawCmdline, metalPower, new dev.basalt.blockd.boot.SystemVolumes(exec, mounter,
                        dev.basalt.blockd.luks.KeyProvider.NodeId.system()), mounter, console);
        dev.basalt.machined.metal.MetalInstall install = new dev.basalt.machined.metal.MetalInstall(exec, mounter,
                Path.of("/dev"), Path.of("/sys"), Path.of("/run/basalt/install"), rawCmdline, metalPower, console, out);
        Initialize initialize = new Initialize(Path.of("/"), cmdline,
                new dev.basalt.machined.metal.MetalMaintenance(Path.of("/"), rawCmdline, metalPower, install,
                        metal.maintenanceResetControl()),
                console::block);
        SequenceOutcome outcome = new Sequencer(out, System::nanoTime).run(initialize.sequence(
                List.of(new Task("mountState", metal::mountState)), extra));
        if (outcome instanceof SequenceOutcome.Failed failed) {
            power.fatal("sequence " + failed.sequence() + " failed at task " + failed.task(), failed.cause(),
                    fatalDelay);
        }
        if (initialize.configSource().orElse(null) instanceof Initialize.StateConfig) {
            // Installed and configured: the configured-node runtime takes over (it returns once services started).
            dev.basalt.machined.node.ConfiguredNode node =
                    dev.basalt.machined.node.ConfiguredNode.boot(console, out, reaper::start, metal);
            power.onShutdown(() -> node.stopServices("shutdown"));
        }
        console.line("machined", "ready (" + (System.nanoTime() - start) / 1_000_000 + " ms after main, "
                + uptime() + " s since the kernel started)");

        if (hook.equals(Optional.of(TestHook.ORPHAN))) {
            Process maker = reaper.start(new ProcessBuilder(List.of(
                    ProcessHandle.current().info().command().orElse("/usr/lib/basalt/jre/bin/java"),
                    "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-cp", System.getProperty("java.class.path"), OrphanMaker.class.getName())).inheritIO());
            console.line("machined", "test hook: started orphan maker pid " + maker.pid());
        } else if (hook.equals(Optional.of(TestHook.SIGTERM))) {
            console.line("machined", "test hook: sending SIGTERM to PID 1");
            kernel.kill(1, Kernel.SIGTERM);
        }
    }

    /** Seconds since boot from /proc/uptime; the process start time says nothing for PID 1 after execve. */
    private static String uptime() {
        try {
            return Files.readString(Path.of("/proc/uptime")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static Map<String, String> commandLine(SystemConsole console) {
        Map<String, String> parameters = new LinkedHashMap<>();
        try {
            for (String word : Files.readString(Path.of("/proc/cmdline")).trim().split("\\s+")) {
                int eq = word.indexOf('=');
                parameters.put(eq < 0 ? word : word.substring(0, eq), eq < 0 ? "" : word.substring(eq + 1));
            }
        } catch (IOException e) {
            console.failure("machined", "cannot read /proc/cmdline", e);
        }
        return parameters;
    }
}
