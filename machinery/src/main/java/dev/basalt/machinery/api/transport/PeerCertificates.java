package dev.basalt.machinery.api.transport;

import dev.basalt.machinery.api.Role;
import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.ServerCall;
import io.grpc.ServerTransportFilter;
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
    private static final Attributes.Key<Peer> PEER = Attributes.Key.create("basalt-peer");

    private PeerCertificates() {
    }

    /**
     * The verified caller of a connection.
     *
     * @param leaf  its certificate
     * @param roles the roles the certificate's Organization values grant
     */
    public record Peer(X509Certificate leaf, Set<Role> roles) {
        public Peer {
            roles = Set.copyOf(roles);
        }
    }

    /**
     * A transport filter that reads the caller from the TLS session once per connection, when the handshake
     * is done, so that calls find it ready in their attributes ({@link #peer(ServerCall)}) instead of copying
     * the chain and parsing the subject on every call. A connection's peer cannot change after the handshake
     * (TLS 1.3 has no renegotiation).
     */
    public static ServerTransportFilter transportFilter() {
        return new ServerTransportFilter() {
            @Override
            public Attributes transportReady(Attributes attributes) {
                SSLSession session = attributes.get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
                Optional<X509Certificate> leaf = session == null ? Optional.empty() : leaf(session);
                return leaf.isEmpty() ? attributes
                        : attributes.toBuilder().set(PEER, new Peer(leaf.get(), roles(leaf.get()))).build();
            }
        };
    }

    /** The verified caller of a call: from its connection when {@link #transportFilter()} is installed. */
    public static Optional<Peer> peer(ServerCall<?, ?> call) {
        Peer known = call.getAttributes().get(PEER);
        if (known != null) {
            return Optional.of(known);
        }
        return leaf(call).map(leaf -> new Peer(leaf, roles(leaf)));
    }

    /** The verified leaf certificate of the caller, if the call came over TLS with one. */
    public static Optional<X509Certificate> leaf(ServerCall<?, ?> call) {
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        return session == null ? Optional.empty() : leaf(session);
    }

    private static Optional<X509Certificate> leaf(SSLSession session) {
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
