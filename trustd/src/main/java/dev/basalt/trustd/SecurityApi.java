package dev.basalt.trustd;

import com.google.protobuf.ByteString;
import dev.basalt.machinery.api.MetadataKeys;
import dev.basalt.machinery.api.security.CertificateRequest;
import dev.basalt.machinery.api.security.CertificateResponse;
import dev.basalt.machinery.api.security.SecurityServiceGrpc;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;

/**
 * trustd's {@code securityapi.SecurityService}: maps {@link CertificateSigner} outcomes onto gRPC statuses
 * (wrong or missing token: PERMISSION_DENIED; bad CSR: INVALID_ARGUMENT).
 *
 * <p>Thread-safe.
 */
public final class SecurityApi extends SecurityServiceGrpc.SecurityServiceImplBase {
    private static final Metadata.Key<String> TOKEN = Metadata.Key.of(MetadataKeys.TOKEN,
            Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> PRESENTED = Context.key("trustd-token");

    private final CertificateSigner signer;

    public SecurityApi(CertificateSigner signer) {
        this.signer = signer;
    }

    /** Moves the {@code token} metadata into the call's context, where the service reads it. */
    public static ServerInterceptor tokenInterceptor() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                              ServerCallHandler<Q, R> next) {
                return Contexts.interceptCall(Context.current().withValue(PRESENTED, headers.get(TOKEN)), call,
                        headers, next);
            }
        };
    }

    @Override
    public void certificate(CertificateRequest request, StreamObserver<CertificateResponse> out) {
        switch (signer.sign(PRESENTED.get(), request.getCsr().toByteArray())) {
            case CertificateSigner.Issued issued -> {
                out.onNext(CertificateResponse.newBuilder()
                        .setCa(ByteString.copyFrom(issued.caPem(), StandardCharsets.US_ASCII))
                        .setCrt(ByteString.copyFrom(issued.certificatePem(), StandardCharsets.US_ASCII)).build());
                out.onCompleted();
            }
            case CertificateSigner.BadToken bad ->
                    out.onError(Status.PERMISSION_DENIED.withDescription(bad.reason()).asRuntimeException());
            case CertificateSigner.BadRequest bad -> out.onError(Status.INVALID_ARGUMENT
                    .withDescription("csr: " + bad.reason()).asRuntimeException());
        }
    }
}
