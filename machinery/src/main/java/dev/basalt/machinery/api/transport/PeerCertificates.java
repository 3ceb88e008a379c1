package dev.basalt.machinery.api.transport;

import dev.basalt.machinery.api.Role;
import io.grpc.Grpc;
import io.grpc.ServerCall;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;

/**
 * Reads who is calling from the TLS session of a gRPC call: the verified client certificate and the roles
 * its Organization values name.
 *
 * <p>Stateless; thread-safe.
 */
public final class PeerCertificates {
    private PeerCertificates() {
    }

    /** The verified leaf certificate of the caller, if the call came over TLS with one. */
    public static Optional<X509Certificate> leaf(ServerCall<?, ?> call) {
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? Optional.of(x) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    /** The Organization (O) values of a subject, in order. */
    public static List<String> organizations(X500Principal subject) {
        List<String> out = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(subject.getName(X500Principal.RFC2253)).getRdns()) {
                if ("O".equalsIgnoreCase(rdn.getType())) {
                    out.add(rdn.getValue().toString());
                }
            }
        } catch (InvalidNameException e) {
            // an X500Principal always renders a parseable RFC 2253 name; no organizations if it somehow does not
        }
        return out;
    }

    /** The roles a certificate grants. */
    public static Set<Role> roles(X509Certificate certificate) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        roles.addAll(Role.fromOrganizations(organizations(certificate.getSubjectX500Principal())));
        return roles;
    }
}
