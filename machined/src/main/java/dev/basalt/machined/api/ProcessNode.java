package dev.basalt.machined.api;

import dev.basalt.machined.services.LogBuffer;
import dev.basalt.machinery.api.BuildInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * machined as an ordinary process: serves the node API from the live machine (/proc, /sys, /dev/kmsg) with
 * no sequencer and no supervisor behind it. This is how tests and benchmarks run several "nodes" on one
 * host, each with its own socket and hostname.
 *
 * <p>Thread-safe.
 */
public final class ProcessNode implements AutoCloseable {
    private final LogBuffer log = new LogBuffer(4_096, 1 << 20);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final PrintStream console;
    private final ApiServer server;

    /**
     * @param socket           where to serve
     * @param hostnameOverride reported hostname (default: the kernel's)
     * @param console          where log lines are echoed
     */
    public ProcessNode(Path socket, Optional<String> hostnameOverride, PrintStream console) throws IOException {
        this.console = console;
        HostFacts facts = LinuxHostFacts.system(hostnameOverride);
        ServiceControl services = new SelfServices(log, Instant.now());
        PowerControl power = new ProcessPower(this::close, Duration.ofMillis(200));
        MachineApi machine = new MachineApi(facts, KmsgKernelLog.system(), services, power,
                new UnconfiguredNode(), BuildInfo.current(), "process");
        this.server = ApiServer.start(socket, machine, new StorageApi(facts),
                new StateApi(new HostResources(facts, services), Duration.ofSeconds(1)));
        log("machine API serving on " + socket + " as " + facts.hostname() + " (pid "
                + ProcessHandle.current().pid() + ")");
    }

    /** Writes one line to machined's service log and the console. */
    public void log(String message) {
        String line = DateTimeFormatter.ISO_INSTANT.format(Instant.now()) + " " + message;
        log.line(line);
        console.println("[basalt] machined: " + message);
    }

    /** Blocks until {@link #close()} (a Shutdown call or a signal). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        log("stopping");
        server.close();
        stopped.countDown();
    }
}
