package dev.basalt.networkd.testing;

import dev.basalt.networkd.linux.LinuxNetlinkSocket;
import dev.basalt.networkd.linux.LinuxPacketSocket;
import dev.basalt.networkd.linux.NetworkNamespaceThread;
import dev.basalt.networkd.netlink.NetlinkSocket;
import dev.basalt.networkd.packet.PacketSocket;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace made for one test ({@code ip netns add}), with a thread inside it that opens sockets there.
 * Closing deletes the namespace, which also removes every link in it.
 */
public final class TestNamespace implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String name;
    private final NetworkNamespaceThread thread;

    private TestNamespace(String name) throws IOException {
        this.name = name;
        Processes.runQuietly("ip", "netns", "del", name);
        Processes.run("ip", "netns", "add", name);
        try {
            Processes.run("ip", "-n", name, "link", "set", "lo", "up");
            this.thread = NetworkNamespaceThread.enterNamed(name);
        } catch (RuntimeException | IOException e) {
            Processes.runQuietly("ip", "netns", "del", name);
            throw e;
        }
    }

    /** Creates {@code bt-PREFIX-PID-N}. */
    public static TestNamespace create(String prefix) throws IOException {
        return new TestNamespace("bt-" + prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet());
    }

    public String name() {
        return name;
    }

    /** Runs {@code ip ARGS} in this namespace. */
    public String ip(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "-n";
        all[1] = name;
        System.arraycopy(args, 0, all, 2, args.length);
        String[] cmd = new String[all.length + 1];
        cmd[0] = "ip";
        System.arraycopy(all, 0, cmd, 1, all.length);
        return Processes.run(cmd);
    }

    public NetworkNamespaceThread thread() {
        return thread;
    }

    /** Netlink sockets opened inside this namespace. */
    public NetlinkSocket.Factory netlink() {
        return groups -> thread.call(() -> LinuxNetlinkSocket.open(groups));
    }

    /** Packet sockets opened inside this namespace. */
    public PacketSocket.Factory packets() {
        return (index, etherType) -> thread.call(() -> LinuxPacketSocket.open(index, etherType));
    }

    @Override
    public void close() {
        thread.close();
        Processes.runQuietly("ip", "netns", "del", name);
    }
}
