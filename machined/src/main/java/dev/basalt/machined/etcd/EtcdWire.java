package dev.basalt.machined.etcd;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encoder and decoder of the few {@code etcdserverpb} messages Basalt uses, written from the field numbers of
 * etcd's {@code api/etcdserverpb/rpc.proto} (v3 API, stable since 3.0):
 * <pre>
 *   ResponseHeader     { uint64 cluster_id = 1; uint64 member_id = 2; int64 revision = 3; uint64 raft_term = 4; }
 *   Member             { uint64 ID = 1; string name = 2; repeated string peerURLs = 3; repeated string clientURLs = 4;
 *                        bool isLearner = 5; }
 *   MemberAddRequest   { repeated string peerURLs = 1; bool isLearner = 2; }
 *   MemberAddResponse  { ResponseHeader header = 1; Member member = 2; repeated Member members = 3; }
 *   MemberRemoveRequest{ uint64 ID = 1; }          MemberRemoveResponse { header = 1; repeated Member members = 2; }
 *   MemberPromoteRequest{ uint64 ID = 1; }         MemberPromoteResponse { header = 1; repeated Member members = 2; }
 *   MemberListRequest  { bool linearizable = 1; }  MemberListResponse   { header = 1; repeated Member members = 2; }
 *   StatusResponse     { header = 1; string version = 2; int64 dbSize = 3; uint64 leader = 4; uint64 raftIndex = 5;
 *                        uint64 raftTerm = 6; uint64 raftAppliedIndex = 7; repeated string errors = 8;
 *                        int64 dbSizeInUse = 9; bool isLearner = 10; }
 *   SnapshotResponse   { header = 1; uint64 remaining_bytes = 2; bytes blob = 3; }
 * </pre>
 * Unknown fields are skipped, so newer servers decode fine. Decoding malformed bytes throws
 * {@link MalformedEtcdMessageException}.
 *
 * <p>Stateless; thread-safe.
 */
public final class EtcdWire {
    private EtcdWire() {
    }

    /** A decoded MemberAdd answer. */
    public record MemberAdded(EtcdMember member, List<EtcdMember> members) {
        public MemberAdded {
            members = List.copyOf(members);
        }
    }

    /** One chunk of a snapshot stream. */
    public record SnapshotChunk(long remainingBytes, ByteString blob) {
    }

    public static byte[] memberAddRequest(List<String> peerUrls, boolean learner) {
        return encode(out -> {
            for (String url : peerUrls) {
                out.writeString(1, url);
            }
            if (learner) {
                out.writeBool(2, true);
            }
        });
    }

    /** MemberPromoteRequest has the same shape as MemberRemoveRequest. */
    public static byte[] memberPromoteRequest(long id) {
        return encode(out -> out.writeUInt64(1, id));
    }

    public static byte[] memberRemoveRequest(long id) {
        return encode(out -> out.writeUInt64(1, id));
    }

    public static byte[] memberListRequest(boolean linearizable) {
        return encode(out -> {
            if (linearizable) {
                out.writeBool(1, true);
            }
        });
    }

    public static byte[] empty() {
        return new byte[0];
    }

    public static byte[] member(EtcdMember m) {
        return encode(out -> writeMember(out, m));
    }

    public static EtcdMember decodeMember(byte[] bytes) {
        return decode("Member", bytes, EtcdWire::readMember);
    }

    /** Members of a MemberListResponse or MemberRemoveResponse (field 2). */
    public static List<EtcdMember> decodeMembers(byte[] bytes) {
        return decode("MemberListResponse", bytes, in -> {
            List<EtcdMember> members = new ArrayList<>();
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == 2) {
                    members.add(readMember(nested(in)));
                } else {
                    in.skipField(tag);
                }
            }
            return members;
        });
    }

    public static MemberAdded decodeMemberAdd(byte[] bytes) {
        return decode("MemberAddResponse", bytes, in -> {
            EtcdMember added = null;
            List<EtcdMember> members = new ArrayList<>();
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 2 -> added = readMember(nested(in));
                    case 3 -> members.add(readMember(nested(in)));
                    default -> in.skipField(tag);
                }
            }
            if (added == null) {
                throw new MalformedEtcdMessageException("MemberAddResponse has no member (field 2)");
            }
            return new MemberAdded(added, members);
        });
    }

    public static byte[] status(EtcdStatus s) {
        return encode(out -> {
            out.writeBytes(1, ByteString.copyFrom(encode(h -> {
                h.writeUInt64(1, s.clusterId());
                h.writeUInt64(2, s.memberId());
            })));
            out.writeString(2, s.version());
            out.writeInt64(3, s.dbSize());
            out.writeUInt64(4, s.leader());
            out.writeUInt64(5, s.raftIndex());
            out.writeUInt64(6, s.raftTerm());
            for (String e : s.errors()) {
                out.writeString(8, e);
            }
            if (s.learner()) {
                out.writeBool(10, true);
            }
        });
    }

    public static EtcdStatus decodeStatus(byte[] bytes) {
        return decode("StatusResponse", bytes, in -> {
            long clusterId = 0;
            long memberId = 0;
            String version = "";
            long dbSize = 0;
            long leader = 0;
            long raftIndex = 0;
            long raftTerm = 0;
            List<String> errors = new ArrayList<>();
            boolean learner = false;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> {
                        CodedInputStream h = nested(in);
                        for (int t = h.readTag(); t != 0; t = h.readTag()) {
                            switch (WireFormat.getTagFieldNumber(t)) {
                                case 1 -> clusterId = h.readUInt64();
                                case 2 -> memberId = h.readUInt64();
                                default -> h.skipField(t);
                            }
                        }
                    }
                    case 2 -> version = in.readString();
                    case 3 -> dbSize = in.readInt64();
                    case 4 -> leader = in.readUInt64();
                    case 5 -> raftIndex = in.readUInt64();
                    case 6 -> raftTerm = in.readUInt64();
                    case 8 -> errors.add(in.readString());
                    case 10 -> learner = in.readBool();
                    default -> in.skipField(tag);
                }
            }
            return new EtcdStatus(clusterId, memberId, version, dbSize, leader, raftIndex, raftTerm, errors, learner);
        });
    }

    public static SnapshotChunk decodeSnapshotChunk(byte[] bytes) {
        return decode("SnapshotResponse", bytes, in -> {
            long remaining = 0;
            ByteString blob = ByteString.EMPTY;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 2 -> remaining = in.readUInt64();
                    case 3 -> blob = in.readBytes();
                    default -> in.skipField(tag);
                }
            }
            return new SnapshotChunk(remaining, blob);
        });
    }

    private static void writeMember(CodedOutputStream out, EtcdMember m) throws IOException {
        if (m.id() != 0) {
            out.writeUInt64(1, m.id());
        }
        if (!m.name().isEmpty()) {
            out.writeString(2, m.name());
        }
        for (String u : m.peerUrls()) {
            out.writeString(3, u);
        }
        for (String u : m.clientUrls()) {
            out.writeString(4, u);
        }
        if (m.learner()) {
            out.writeBool(5, true);
        }
    }

    private static EtcdMember readMember(CodedInputStream in) throws IOException {
        long id = 0;
        String name = "";
        List<String> peers = new ArrayList<>();
        List<String> clients = new ArrayList<>();
        boolean learner = false;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> id = in.readUInt64();
                case 2 -> name = in.readString();
                case 3 -> peers.add(in.readString());
                case 4 -> clients.add(in.readString());
                case 5 -> learner = in.readBool();
                default -> in.skipField(tag);
            }
        }
        return new EtcdMember(id, name, peers, clients, learner);
    }

    private static CodedInputStream nested(CodedInputStream in) throws IOException {
        return CodedInputStream.newInstance(in.readByteArray());
    }

    private interface Writer {
        void write(CodedOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(CodedInputStream in) throws IOException;
    }

    private static byte[] encode(Writer writer) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            writer.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T decode(String what, byte[] bytes, Reader<T> reader) {
        try {
            return reader.read(CodedInputStream.newInstance(bytes));
        } catch (IOException | RuntimeException e) {
            if (e instanceof MalformedEtcdMessageException m) {
                throw m;
            }
            throw new MalformedEtcdMessageException("malformed etcd " + what + " (" + bytes.length + " bytes): "
                    + e.getMessage());
        }
    }
}
