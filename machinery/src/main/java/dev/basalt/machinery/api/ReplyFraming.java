package dev.basalt.machinery.api;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.basalt.machinery.api.common.Metadata;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Builds node-API replies at the wire level, without knowing the concrete message types, relying on the
 * shape every node-facing reply shares: a unary reply is {@code repeated Item messages = 1}, and every item and
 * every streamed message starts with {@code common.Metadata metadata = 1}. Since protobuf concatenation
 * merges messages (repeated fields append), the unary replies of several nodes concatenated are one valid
 * wrapper holding all their items.
 *
 * <p>Stateless; thread-safe.
 */
public final class ReplyFraming {
    private ReplyFraming() {
    }

    /** Concatenates per-node unary replies into one aggregated reply. */
    public static byte[] concat(List<byte[]> replies) {
        int size = 0;
        for (byte[] r : replies) {
            size += r.length;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (byte[] r : replies) {
            System.arraycopy(r, 0, out, at, r.length);
            at += r.length;
        }
        return out;
    }

    /** The metadata of a failed node: its name, the error text, and the status. */
    public static Metadata errorMetadata(String node, Status status) {
        String text = status.getDescription() == null ? status.getCode().toString()
                : status.getCode() + ": " + status.getDescription();
        if (status.getCause() != null && status.getCause().getMessage() != null) {
            // transport failures say only "io exception"; the cause names what happened (refused, timed out, TLS)
            text += " (" + status.getCause().getMessage() + ")";
        }
        return Metadata.newBuilder().setHostname(node).setError(text)
                .setStatus(com.google.rpc.Status.newBuilder().setCode(status.getCode().value())
                        .setMessage(status.getDescription() == null ? "" : status.getDescription()))
                .build();
    }

    /** A streamed message carrying only metadata (field 1): how a failed node shows up in a merged stream. */
    public static byte[] streamError(String node, Status status) {
        return field1(errorMetadata(node, status).toByteString());
    }

    /** A unary wrapper with one item carrying only metadata: how a failed node shows up in an aggregate. */
    public static byte[] unaryError(String node, Status status) {
        return field1(ByteString.copyFrom(streamError(node, status)));
    }

    private static byte[] field1(ByteString payload) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.size() + 8);
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeBytes(1, payload);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory encoding failed", e);
        }
    }
}
