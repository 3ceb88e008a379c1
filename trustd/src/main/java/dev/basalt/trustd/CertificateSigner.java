package dev.basalt.trustd;

import dev.basalt.machinery.pki.CertificateAndKey;
import dev.basalt.machinery.pki.CertificateAuthority;
import dev.basalt.machinery.pki.Csr;
import dev.basalt.machinery.pki.ExtendedUsage;
import dev.basalt.machinery.pki.IssueRequest;
import dev.basalt.machinery.pki.Pem;
import dev.basalt.machinery.pki.PkiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;

/**
 * What trustd decides: whether a token is the cluster's, and which certificate a CSR gets. A CSR only
 * contributes its public key, common name and subject alternative names; the certificate is always
 * serverAuth only and never carries an Organization, so a CSR cannot obtain API roles.
 *
 * <p>Thread-safe.
 */
public final class CertificateSigner {
    /** The outcome of one request. */
    public sealed interface Outcome permits Issued, BadToken, BadRequest {
    }

    /** PEM-encoded CA and signed certificate. */
    public record Issued(String caPem, String certificatePem) implements Outcome {
    }

    /** Missing or wrong token. */
    public record BadToken(String reason) implements Outcome {
    }

    /** The CSR is not a valid, self-signed request for a supported key. */
    public record BadRequest(String reason) implements Outcome {
    }

    private final CertificateAuthority ca;
    private final String caPem;
    private final byte[] token;
    private final Duration validity;

    public CertificateSigner(CertificateAuthority ca, String token, Duration validity) {
        if (token.isEmpty()) {
            throw new IllegalArgumentException("trustd token is empty; expected the cluster's trustd token");
        }
        this.ca = ca;
        this.caPem = Pem.encodeCertificate(ca.certificate());
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.validity = validity;
    }

    /**
     * Signs {@code csr} if {@code presentedToken} is the cluster token.
     *
     * @param presentedToken the {@code token} metadata, or null when absent
     */
    public Outcome sign(String presentedToken, byte[] csr) {
        if (presentedToken == null) {
            return new BadToken("no \"token\" metadata; expected the cluster's trustd token");
        }
        // constant-time comparison: the token is the only secret between a stranger and a node certificate
        if (!MessageDigest.isEqual(token, presentedToken.getBytes(StandardCharsets.UTF_8))) {
            return new BadToken("the \"token\" metadata does not match the cluster's trustd token");
        }
        Csr request;
        try {
            request = Csr.parse(csr);
        } catch (PkiException e) {
            return new BadRequest(e.getMessage());
        }
        try {
            CertificateAndKey issued = ca.issue(IssueRequest.builder()
                    .commonName(request.commonName())
                    .dnsNames(request.dnsNames())
                    .ipAddresses(request.ipAddresses())
                    .usage(ExtendedUsage.SERVER_AUTH)
                    .validity(validity)
                    .publicKey(request.publicKey())
                    .build());
            return new Issued(caPem, issued.certPem());
        } catch (PkiException e) {
            return new BadRequest(e.getMessage());
        }
    }
}
