package dev.basalt.machined.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class EtcdWireTest {
    @Property
    void membersRoundTrip(@ForAll long id, @ForAll @StringLength(max = 30) String name,
                          @ForAll @Size(max = 3) List<@StringLength(max = 40) String> peers,
                          @ForAll @Size(max = 3) List<@StringLength(max = 40) String> clients, @ForAll boolean learner) {
        EtcdMember m = new EtcdMember(id, name, peers, clients, learner);
        assertThat(EtcdWire.decodeMember(EtcdWire.member(m))).isEqualTo(m);
    }

    @Property
    void statusRoundTrips(@ForAll long cluster, @ForAll long member, @ForAll @StringLength(max = 10) String version,
                          @ForAll long db, @ForAll long leader, @ForAll long index, @ForAll long term,
                          @ForAll @Size(max = 2) List<@StringLength(max = 20) String> errors, @ForAll boolean learner) {
        EtcdStatus s = new EtcdStatus(cluster, member, version, db, leader, index, term, errors, learner);
        assertThat(EtcdWire.decodeStatus(EtcdWire.status(s))).isEqualTo(s);
    }

    @Test
    void encodesRequestsWithEtcdsFieldNumbers() {
        // MemberAddRequest{peerURLs: ["https://a:2380"]}: field 1, wire type 2, length 14.
        assertThat(HexFormat.of().formatHex(EtcdWire.memberAddRequest(List.of("https://a:2380"), false)))
                .isEqualTo("0a0e" + HexFormat.of().formatHex("https://a:2380".getBytes()));
        // MemberRemoveRequest{ID: 300}: field 1 varint 300 = ac 02.
        assertThat(HexFormat.of().formatHex(EtcdWire.memberRemoveRequest(300))).isEqualTo("08ac02");
        assertThat(EtcdWire.memberListRequest(false)).isEmpty();
    }

    @Test
    void decodesAMemberListAndSkipsUnknownFields() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeBytes(1, com.google.protobuf.ByteString.copyFrom(new byte[] {8, 1})); // header
        out.writeBytes(2, com.google.protobuf.ByteString.copyFrom(
                EtcdWire.member(new EtcdMember(7, "cp1", List.of("https://10.5.0.2:2380"), List.of(), false))));
        out.writeString(99, "from a newer etcd");
        out.flush();
        assertThat(EtcdWire.decodeMembers(bytes.toByteArray()))
                .containsExactly(new EtcdMember(7, "cp1", List.of("https://10.5.0.2:2380"), List.of(), false));
    }

    @Test
    void rejectsTruncatedMessagesNamingTheMessage() {
        byte[] member = EtcdWire.member(new EtcdMember(1, "abc", List.of(), List.of(), false));
        byte[] cut = java.util.Arrays.copyOf(member, member.length - 1);
        assertThatThrownBy(() -> EtcdWire.decodeMember(cut)).isInstanceOf(MalformedEtcdMessageException.class)
                .hasMessageStartingWith("malformed etcd Member (" + cut.length + " bytes)");
        assertThatThrownBy(() -> EtcdWire.decodeMemberAdd(new byte[0]))
                .hasMessage("MemberAddResponse has no member (field 2)");
    }
}
