package dev.basalt.networkd.guest;

import dev.basalt.networkd.linux.LinuxNetlinkSocket;
import dev.basalt.networkd.netlink.LinkMessage;
import dev.basalt.networkd.netlink.NetlinkAttribute;
import dev.basalt.networkd.netlink.NetlinkMessage;
import dev.basalt.networkd.netlink.NetlinkSocket;
import dev.basalt.networkd.netlink.Rtnetlink;
import dev.basalt.networkd.resource.BondMode;
import dev.basalt.networkd.resource.LinkStatus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * PID 1's payload in the networkd guest test: on a real kernel with {@code 8021q}, {@code bonding} and {@code dummy},
 * drives {@link Rtnetlink} through VLAN and active-backup bond creation, enslaving, MTU and deletion, and prints what
 * our listing, busybox {@code ip link} and the kernel's own {@code /proc} and {@code /sys} files say at each step.
 *
 * <p>Expects dummies {@code d0} and {@code d1} to exist (the guest's init script creates them: {@link Rtnetlink} has no
 * {@code dummy} kind). Every output line starts with {@code netguest}; the last one is {@code netguest: PASS} or
 * {@code netguest: FAIL: ...}, which the host-side test reads from the serial console. Single-threaded.
 */
public final class VlanBondGuest {
    static final String VLAN = "d0.100";
    static final String BOND = "bond0";
    static final int VLAN_ID = 100;
    static final int VLAN_MTU = 1400;
    static final int BOND_MTU = 9000;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final String BUSYBOX = "/bin/busybox";

    private final List<String> failures = new ArrayList<>();

    private VlanBondGuest() {
    }

    public static void main(String[] args) {
        VlanBondGuest guest = new VlanBondGuest();
        try (Rtnetlink rtnetlink = Rtnetlink.open(LinuxNetlinkSocket.factory())) {
            guest.run(rtnetlink);
        } catch (Exception | AssertionError e) {
            guest.failures.add("unexpected " + e);
            e.printStackTrace(System.out);
        }
        if (guest.failures.isEmpty()) {
            say("netguest: PASS");
        } else {
            say("netguest: FAIL: " + String.join("; ", guest.failures));
        }
        System.out.flush();
    }

    private void run(Rtnetlink rt) throws IOException, InterruptedException {
        int d0 = rt.indexOf("d0");
        int d1 = rt.indexOf("d1");

        int vlan = rt.createVlan(VLAN, d0, VLAN_ID);
        int bond = rt.createBond(BOND, BondMode.ACTIVE_BACKUP, 100);
        // The kernel refuses to enslave a link that is up; the dummies start down.
        rt.setMaster(d1, bond);
        rt.setMtu(vlan, VLAN_MTU);
        rt.setMtu(bond, BOND_MTU);
        rt.setLinkUp(vlan, true);
        rt.setLinkUp(bond, true);
        say("netguest: created " + VLAN + " (index " + vlan + ") and " + BOND + " (index " + bond + "), enslaved d1");

        Map<String, LinkStatus> ours = byName(rt.links());
        for (LinkStatus link : ours.values()) {
            say("netguest ours: " + describe(link, ours));
        }
        String bondMode = bondMode(bond).orElse("none");
        say("netguest ours: " + BOND + " mode=" + bondMode);

        LinkStatus v = ours.get(VLAN);
        LinkStatus b = ours.get(BOND);
        LinkStatus s = ours.get("d1");
        check(v != null && v.kind().equals("vlan") && v.vlanId() == VLAN_ID && v.parentIndex() == d0 && v.mtu() == VLAN_MTU,
                "our listing of " + VLAN + ": " + (v == null ? "absent" : describe(v, ours)));
        check(b != null && b.kind().equals("bond") && b.mtu() == BOND_MTU, "our listing of " + BOND + ": "
                + (b == null ? "absent" : describe(b, ours)));
        check(bondMode.equals("active-backup"), "our reading of " + BOND + "'s mode: " + bondMode);
        check(s != null && s.masterIndex() == bond, "our listing of d1: " + (s == null ? "absent" : describe(s, ours)));

        List<String> ip = ipLinkShow();
        ip.forEach(line -> say("netguest ip: " + line));
        check(ip.stream().anyMatch(l -> l.contains(": " + VLAN + "@d0:") && l.contains("mtu " + VLAN_MTU)),
                "busybox ip shows no " + VLAN + "@d0 with mtu " + VLAN_MTU);
        check(ip.stream().anyMatch(l -> l.contains(": d1:") && l.contains("master " + BOND)),
                "busybox ip shows d1 not enslaved to " + BOND);
        // busybox names no IFF_MASTER/IFF_SLAVE flag (it appends them as hex), so the bond's role is read from sysfs below.
        check(ip.stream().anyMatch(l -> l.contains(": " + BOND + ":") && l.contains("mtu " + BOND_MTU)),
                "busybox ip shows no " + BOND + " with mtu " + BOND_MTU);

        List<String> vlanConfig = read("/proc/net/vlan/config");
        String sysMode = String.join("", read("/sys/class/net/" + BOND + "/bonding/mode"));
        String sysSlaves = String.join("", read("/sys/class/net/" + BOND + "/bonding/slaves"));
        String sysActive = String.join("", read("/sys/class/net/" + BOND + "/bonding/active_slave"));
        vlanConfig.forEach(line -> say("netguest kernel: /proc/net/vlan/config: " + line));
        say("netguest kernel: " + BOND + " bonding/mode: " + sysMode);
        say("netguest kernel: " + BOND + " bonding/slaves: " + sysSlaves);
        say("netguest kernel: " + BOND + " bonding/active_slave: " + sysActive);
        check(vlanConfig.stream().anyMatch(l -> l.replace(" ", "").equals(VLAN + "|" + VLAN_ID + "|d0")),
                "/proc/net/vlan/config has no " + VLAN + " | " + VLAN_ID + " | d0");
        check(sysMode.equals("active-backup 1"), BOND + " bonding/mode is '" + sysMode + "', expected 'active-backup 1'");
        check(sysSlaves.equals("d1"), BOND + " bonding/slaves is '" + sysSlaves + "', expected 'd1'");
        check(sysActive.equals("d1"), BOND + " bonding/active_slave is '" + sysActive + "', expected 'd1'");

        rt.deleteLink(vlan);
        rt.deleteLink(bond);
        Map<String, LinkStatus> after = byName(rt.links());
        say("netguest ours after delete: " + String.join(" ", after.keySet()));
        check(!after.containsKey(VLAN) && !after.containsKey(BOND), "our listing after delete still has " + after.keySet());
        LinkStatus released = after.get("d1");
        check(released != null && released.masterIndex() == 0, "d1 after deleting the bond: "
                + (released == null ? "absent" : describe(released, after)));

        List<String> ipAfter = ipLinkShow();
        ipAfter.forEach(line -> say("netguest ip after delete: " + line));
        check(ipAfter.stream().noneMatch(l -> l.contains(VLAN) || l.contains(BOND)),
                "busybox ip still shows " + VLAN + " or " + BOND + " after delete");
        List<String> vlanConfigAfter = read("/proc/net/vlan/config");
        boolean bondGone = !Files.exists(Path.of("/sys/class/net/" + BOND));
        // The file's first line is a "VLAN Dev name | VLAN ID" header; each VLAN adds one "name | id | parent" line.
        long vlansAfter = vlanConfigAfter.stream().filter(l -> l.contains("|") && !l.startsWith("VLAN Dev name")).count();
        say("netguest kernel after delete: /proc/net/vlan/config entries: " + vlansAfter + ", /sys/class/net/" + BOND
                + (bondGone ? " absent" : " present"));
        check(vlanConfigAfter.stream().noneMatch(l -> l.contains(VLAN)), "/proc/net/vlan/config still lists " + VLAN);
        check(bondGone, "/sys/class/net/" + BOND + " still exists after delete");
    }

    /** Reads {@code IFLA_BOND_MODE} of link {@code index} with our codec over a fresh request socket. */
    private static Optional<String> bondMode(int index) throws IOException {
        try (NetlinkSocket socket = LinuxNetlinkSocket.open(0)) {
            int sequence = 1;
            byte[] body = new LinkMessage(0, 0, index, 0, 0, List.of()).encode();
            socket.send(new NetlinkMessage(NetlinkMessage.RTM_GETLINK, NetlinkMessage.NLM_F_REQUEST, sequence, 0, body).encode());
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline) {
                Optional<byte[]> datagram = socket.receive(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                if (datagram.isEmpty()) {
                    continue;
                }
                for (NetlinkMessage m : NetlinkMessage.decodeAll(datagram.get())) {
                    if (m.sequence() != sequence) {
                        continue;
                    }
                    if (m.type() != NetlinkMessage.RTM_NEWLINK) {
                        throw new IOException("get link " + index + ": reply of type " + m.type() + " instead of RTM_NEWLINK");
                    }
                    return NetlinkAttribute.find(LinkMessage.decode(m.body()).attributes(), LinkMessage.IFLA_LINKINFO)
                            .flatMap(info -> NetlinkAttribute.find(info.asNested(), LinkMessage.IFLA_INFO_DATA))
                            .flatMap(data -> NetlinkAttribute.find(data.asNested(), LinkMessage.IFLA_BOND_MODE))
                            .map(mode -> mode.asUnsigned() < BondMode.values().length
                                    ? BondMode.values()[(int) mode.asUnsigned()].configName()
                                    : "unknown mode " + mode.asUnsigned());
                }
            }
            throw new IOException("get link " + index + ": no reply from the kernel within 5 s");
        }
    }

    private static String describe(LinkStatus link, Map<String, LinkStatus> all) {
        Map<Integer, String> names = all.values().stream().collect(Collectors.toMap(LinkStatus::index, LinkStatus::name));
        return link.name() + " index=" + link.index() + " kind=" + (link.kind().isEmpty() ? "-" : link.kind())
                + " vlan=" + link.vlanId() + " parent=" + names.getOrDefault(link.parentIndex(), "-")
                + " master=" + names.getOrDefault(link.masterIndex(), "-") + " mtu=" + link.mtu()
                + " up=" + link.administrativelyUp();
    }

    private static Map<String, LinkStatus> byName(List<LinkStatus> links) {
        return links.stream().collect(Collectors.toMap(LinkStatus::name, Function.identity(), (a, b) -> a,
                java.util.TreeMap::new));
    }

    private void check(boolean ok, String failure) {
        if (!ok) {
            failures.add(failure);
            say("netguest check failed: " + failure);
        }
    }

    private static List<String> read(String file) throws IOException {
        Path path = Path.of(file);
        return Files.exists(path) ? Files.readAllLines(path).stream().map(String::strip).toList() : List.of();
    }

    /** busybox {@code ip link show}, one entry per link. */
    private static List<String> ipLinkShow() throws IOException, InterruptedException {
        List<String> argv = List.of(BUSYBOX, "ip", "link", "show");
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", argv) + " did not finish within " + COMMAND_TIMEOUT.toSeconds() + " s");
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", argv) + " exited " + process.exitValue() + ": " + out.strip());
        }
        // busybox prints each link on two lines; join them so one line holds a link's name, flags and master.
        List<String> links = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith(" ") && !links.isEmpty()) {
                links.set(links.size() - 1, links.getLast() + " |" + line.stripTrailing());
            } else if (!line.isBlank()) {
                links.add(line.stripTrailing());
            }
        }
        return links;
    }

    private static void say(String line) {
        System.out.println(line);
    }
}
