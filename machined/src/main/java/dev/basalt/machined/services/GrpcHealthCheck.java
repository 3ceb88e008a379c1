package dev.basalt.machined.services;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Healthy when the standard gRPC health service ({@code grpc.health.v1.Health/Check}) answers SERVING for
 * {@code service} (empty: the server as a whole). The two messages are encoded here by hand: the request has
 * {@code string service = 1}, the response {@code ServingStatus status = 1} with SERVING = 1.
 *
 * <p>The channel is owned by the caller. Immutable; thread-safe.
 */
public record GrpcHealthCheck(Channel channel, String service, Duration period, Duration timeout)
        implements HealthCheck {
    private static final int SERVING = 1;
    private static final MethodDescriptor<byte[], Integer> CHECK = MethodDescriptor.<byte[], Integer>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("grpc.health.v1.Health/Check")
            .setRequestMarshaller(new RawRequest())
            .setResponseMarshaller(new StatusResponse())
            .build();

    @Override
    public HealthResult probe(Duration deadline) {
        try {
            int status = ClientCalls.blockingUnaryCall(channel, CHECK,
                    CallOptions.DEFAULT.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS), request(service));
            if (status == SERVING) {
                return HealthResult.healthy("SERVING");
            }
            return HealthResult.unhealthy("gRPC health of '" + service + "' is " + statusName(status));
        } catch (StatusRuntimeException e) {
            return HealthResult.unhealthy("gRPC health check failed: " + e.getStatus().getCode()
                    + (e.getStatus().getDescription() == null ? "" : " " + e.getStatus().getDescription()));
        }
    }

    static String statusName(int status) {
        return switch (status) {
            case 0 -> "UNKNOWN";
            case 1 -> "SERVING";
            case 2 -> "NOT_SERVING";
            case 3 -> "SERVICE_UNKNOWN";
            default -> "status " + status;
        };
    }

    static byte[] request(String service) {
        if (service.isEmpty()) {
            return new byte[0];
        }
        try {
            byte[] out = new byte[CodedOutputStream.computeStringSize(1, service)];
            CodedOutputStream c = CodedOutputStream.newInstance(out);
            c.writeString(1, service);
            c.checkNoSpaceLeft();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int parseStatus(InputStream in) throws IOException {
        CodedInputStream c = CodedInputStream.newInstance(in);
        int status = 0;
        for (int tag = c.readTag(); tag != 0; tag = c.readTag()) {
            if (tag == (1 << 3)) {
                status = c.readEnum();
            } else {
                c.skipField(tag);
            }
        }
        return status;
    }

    private static final class RawRequest implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final class StatusResponse implements MethodDescriptor.Marshaller<Integer> {
        @Override
        public InputStream stream(Integer value) {
            return new ByteArrayInputStream(new byte[] {8, (byte) (int) value});
        }

        @Override
        public Integer parse(InputStream stream) {
            try {
                return parseStatus(stream);
            } catch (IOException e) {
                throw new UncheckedIOException("malformed grpc.health.v1.HealthCheckResponse: " + e.getMessage(), e);
            }
        }
    }
}
