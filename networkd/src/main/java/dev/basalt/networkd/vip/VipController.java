package dev.basalt.networkd.vip;

import dev.basalt.networkd.netlink.Rtnetlink;
import dev.basalt.networkd.packet.PacketSocket;
import dev.basalt.networkd.resource.IpPrefix;

import java.io.IOException;
import java.net.Inet4Address;
import java.time.Duration;
import java.time.InstantSource;
import java.util.logging.Logger;

/**
 * Holds a layer-2 shared address on one interface while this node is elected: on winning it adds the address
 * (/32) and announces it with gratuitous ARP so neighbours move their cache entries to our MAC; on losing it removes
 * the address. {@link #run()} is its loop, for one (virtual) thread; it polls the election every
 * {@link #POLL} with a TTL of {@link #TTL}.
 *
 * <p>Takeover after a clean stop of the holder (it resigns) takes at most one poll interval plus the announcement;
 * after a crash, at most the TTL plus one poll interval. Thread-safe: {@link #close()} and {@link #holding()} may be
 * called from any thread.
 */
public final class VipController implements Runnable, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(VipController.class.getName());
    public static final Duration POLL = Duration.ofMillis(500);
    public static final Duration TTL = Duration.ofSeconds(3);
    private static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};
    /** Announcements after taking over, spaced so a neighbour's ARP locktime (1 s default) cannot swallow all. */
    private static final int ANNOUNCEMENTS = 3;
    private static final Duration ANNOUNCE_GAP = Duration.ofMillis(600);

    private final String interfaceName;
    private final int interfaceIndex;
    private final Inet4Address address;
    private final Rtnetlink rtnl;
    private final PacketSocket.Factory packets;
    private final LeaderElection election;
    private final InstantSource clock;
    private final Object stopSignal = new Object();
    private volatile boolean stopping;
    private volatile boolean holding;
    private volatile boolean finished;

    public VipController(String interfaceName, int interfaceIndex, Inet4Address address, Rtnetlink rtnl,
                         PacketSocket.Factory packets, LeaderElection election, InstantSource clock) {
        this.interfaceName = interfaceName;
        this.interfaceIndex = interfaceIndex;
        this.address = address;
        this.rtnl = rtnl;
        this.packets = packets;
        this.election = election;
        this.clock = clock;
    }

    /** True while this node holds the address. */
    public boolean holding() {
        return holding;
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                boolean leader;
                try {
                    leader = election.acquireOrRenew(TTL);
                } catch (IOException e) {
                    LOG.warning("VIP " + address.getHostAddress() + ": election unreachable: " + e.getMessage());
                    leader = false;
                }
                if (leader && !holding && !stopping) {
                    takeOver();
                } else if (!leader && holding) {
                    giveUp("lost the election");
                }
                pause(POLL);
            }
        } finally {
            if (holding) {
                giveUp("stopping");
            }
            try {
                election.resign();
            } catch (IOException e) {
                LOG.warning("VIP " + address.getHostAddress() + ": resign failed: " + e.getMessage());
            }
            election.close();
            finished = true;
            synchronized (stopSignal) {
                stopSignal.notifyAll();
            }
        }
    }

    private void takeOver() {
        try {
            rtnl.addAddress(interfaceIndex, new IpPrefix(address, 32));
            holding = true;
            LOG.info("VIP " + address.getHostAddress() + " now held on " + interfaceName + " at " + clock.instant());
        } catch (IOException e) {
            LOG.warning("VIP " + address.getHostAddress() + ": cannot add to " + interfaceName + ": " + e.getMessage());
            return;
        }
        try (PacketSocket socket = packets.open(interfaceIndex, ArpPacket.ETHER_TYPE)) {
            byte[] frame = ArpPacket.announcement(socket.hardwareAddress(), address).encode();
            for (int i = 0; i < ANNOUNCEMENTS && !stopping; i++) {
                socket.send(frame, BROADCAST);
                if (i + 1 < ANNOUNCEMENTS) {
                    pause(ANNOUNCE_GAP);
                }
            }
        } catch (IOException e) {
            LOG.warning("VIP " + address.getHostAddress() + ": gratuitous ARP on " + interfaceName + " failed: " + e.getMessage());
        }
    }

    private void giveUp(String reason) {
        holding = false;
        try {
            rtnl.deleteAddress(interfaceIndex, new IpPrefix(address, 32));
        } catch (IOException e) {
            LOG.warning("VIP " + address.getHostAddress() + ": cannot remove from " + interfaceName + ": " + e.getMessage());
        }
        LOG.info("VIP " + address.getHostAddress() + " released on " + interfaceName + ": " + reason);
    }

    private void pause(Duration d) {
        synchronized (stopSignal) {
            if (stopping) {
                return;
            }
            try {
                stopSignal.wait(Math.max(1, d.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
        }
    }

    /** Stops the loop, removes the address if held and resigns; waits up to 5 s for that to finish. */
    @Override
    public void close() {
        synchronized (stopSignal) {
            stopping = true;
            stopSignal.notifyAll();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!finished && System.nanoTime() < deadline) {
                try {
                    stopSignal.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
