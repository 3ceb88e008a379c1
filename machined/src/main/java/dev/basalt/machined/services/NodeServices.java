package dev.basalt.machined.services;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The service definitions of a Basalt node other than etcd (see {@code dev.basalt.machined.etcd.EtcdNode}):
 * containerd (with runc), trustd and apid. Each program is executed directly; nothing here needs a shell.
 * kubelet is not defined: no kubelet binary is available to build the image with.
 *
 * <p>Stateless; thread-safe.
 */
public final class NodeServices {
    public static final String CONTAINERD = "containerd";
    public static final String TRUSTD = "trustd";
    public static final String APID = "apid";
    public static final Path CONTAINERD_BINARY = Path.of("/usr/bin/containerd");
    public static final Path CTR_BINARY = Path.of("/usr/bin/ctr");
    /** containerd finds runc (and its shim) on PATH. */
    private static final String PATH = "/usr/bin:/usr/sbin:/bin:/sbin";

    private NodeServices() {
    }

    /** containerd: writes its config, creates root/state, runs it, and probes it with {@code ctr version}. */
    public static Service containerd(ContainerdConfig config, Path binary, Path ctr, ProcessLauncher launcher) {
        return Service.builder(CONTAINERD)
                .prepare(() -> {
                    Files.createDirectories(config.root());
                    Files.createDirectories(config.state());
                    Files.createDirectories(config.configFile().toAbsolutePath().getParent());
                    Files.writeString(config.configFile(), config.toml());
                })
                .runner(ProcessRunner.builder(binary.toString(), "--config", config.configFile().toString())
                        .env("PATH", PATH).launcher(launcher).build())
                .healthCheck(new ExecHealthCheck(List.of(ctr.toString(), "--address", config.socket().toString(),
                        "version"), Map.of("PATH", PATH), Duration.ofSeconds(5), Duration.ofSeconds(3), launcher))
                .stopGrace(Duration.ofSeconds(10))
                .build();
    }

    /**
     * trustd on a control-plane node: signs worker certificates with the OS CA on :50001.
     *
     * @param identityDir holds {@code ca.crt}, {@code ca.key}, {@code trustd.crt}, {@code trustd.key}, token file
     */
    public static Service trustd(JvmCommand jvm, Path identityDir, int port, ProcessLauncher launcher) {
        return Service.builder(TRUSTD)
                .condition(Condition.fileExists(identityDir.resolve("ca.crt")))
                .runner(ProcessRunner.builder(jvm.command(List.of("--identity-dir", identityDir.toString(),
                        "--listen", "0.0.0.0:" + port))).launcher(launcher).build())
                .healthCheck(new TcpHealthCheck("127.0.0.1", port))
                .build();
    }

    /**
     * apid: the node API front on :50000, relaying to machined's unix socket; starts once that socket exists and
     * its identity is on disk (on a worker, after trustd of a control-plane node issued its certificate).
     */
    public static Service apid(JvmCommand jvm, Path machinedSocket, Path identityDir, int port,
                               ProcessLauncher launcher) {
        return Service.builder(APID)
                .condition(Condition.fileExists(machinedSocket))
                .condition(Condition.fileExists(identityDir.resolve("apid.crt")))
                .runner(ProcessRunner.builder(jvm.command(List.of("--machined-socket", machinedSocket.toString(),
                        "--identity-dir", identityDir.toString(), "--listen", "0.0.0.0:" + port)))
                        .launcher(launcher).build())
                .healthCheck(new TcpHealthCheck("127.0.0.1", port))
                .build();
    }
}
