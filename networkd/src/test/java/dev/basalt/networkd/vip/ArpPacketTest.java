package dev.basalt.networkd.vip;

import dev.basalt.networkd.packet.MalformedPacketException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class ArpPacketTest {
    @Test
    void encodesAGratuitousAnnouncement() throws Exception {
        byte[] mac = HexFormat.of().parseHex("020000007911");
        ArpPacket p = ArpPacket.announcement(mac, (Inet4Address) InetAddress.getByName("10.79.0.100"));
        assertThat(HexFormat.of().formatHex(p.encode())).isEqualTo(
                "0001" + "0800" + "06" + "04" + "0001" + "020000007911" + "0a4f0064" + "000000000000" + "0a4f0064");
        assertThat(ArpPacket.decode(p.encode())).isEqualTo(p);
    }

    @Property
    void decodingGarbageFailsCleanlyOrRoundTrips(@ForAll @Size(max = 40) byte[] garbage) {
        try {
            ArpPacket p = ArpPacket.decode(garbage);
            assertThat(ArpPacket.decode(p.encode())).isEqualTo(p);
        } catch (MalformedPacketException expected) {
            // fine
        }
    }
}
