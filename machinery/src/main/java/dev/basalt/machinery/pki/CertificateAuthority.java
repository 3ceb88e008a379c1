package dev.basalt.machinery.pki;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority: a CA certificate and its key, able to sign leaf certificates.
 *
 * <p>Thread-safe: signing keeps no mutable state beyond the {@link SecureRandom}, which is itself thread-safe.
 */
public final class CertificateAuthority {
    /** Certificates are back-dated a little so that a node whose clock lags still accepts them. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final CertificateAndKey ca;
    private final PrivateKey key;
    private final SecureRandom random;
    private final Clock clock;

    public CertificateAuthority(CertificateAndKey ca, SecureRandom random, Clock clock) {
        this.ca = Objects.requireNonNull(ca, "ca");
        this.key = Providers.forSigning(ca.requireKey());
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (ca.certificate().getBasicConstraints() < 0) {
            throw new PkiException("certificate " + ca.certificate().getSubjectX500Principal().getName()
                    + " is not a CA certificate (basicConstraints CA=false)");
        }
    }

    public CertificateAuthority(CertificateAndKey ca) {
        this(ca, new SecureRandom(), Clock.systemUTC());
    }

    public CertificateAndKey certificateAndKey() {
        return ca;
    }

    public X509Certificate certificate() {
        return ca.certificate();
    }

    /** Creates a self-signed CA. */
    public static CertificateAndKey create(String commonName, List<String> organizations, KeyType type, Duration validity) {
        return create(commonName, organizations, type, validity, new SecureRandom(), Clock.systemUTC());
    }

    public static CertificateAndKey create(String commonName, List<String> organizations, KeyType type, Duration validity,
                                           SecureRandom random, Clock clock) {
        KeyPair pair = type.generate(random);
        X500Name subject = name(commonName, organizations);
        Instant now = clock.instant();
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(random),
                    Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(validity)), subject, pair.getPublic());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(pair.getPublic()));
            return new CertificateAndKey(sign(builder, Providers.forSigning(pair.getPrivate()), type), pair.getPrivate());
        } catch (CertIOException | java.security.NoSuchAlgorithmException e) {
            throw new PkiException("cannot build CA certificate " + subject + ": " + e.getMessage(), e);
        }
    }

    /** Signs a leaf certificate; generates the holder's key unless the request carries a public key. */
    public CertificateAndKey issue(IssueRequest request) {
        PublicKey publicKey;
        PrivateKey holderKey = null;
        if (request.publicKey().isPresent()) {
            publicKey = request.publicKey().get();
        } else {
            KeyPair pair = request.generateKeyType().generate(random);
            publicKey = pair.getPublic();
            holderKey = pair.getPrivate();
        }
        X500Name subject = name(request.commonName(), request.organizations());
        Instant now = clock.instant();
        X509Certificate issuerCert = ca.certificate();
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerCert, serial(random),
                    Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(request.validity())), subject, publicKey);
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            int keyUsage = KeyUsage.digitalSignature;
            if (KeyType.of(publicKey) == KeyType.RSA_2048) {
                keyUsage |= KeyUsage.keyEncipherment;
            }
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            if (!request.usages().isEmpty()) {
                KeyPurposeId[] purposes = request.usages().stream().sorted().map(ExtendedUsage::purpose).toArray(KeyPurposeId[]::new);
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
            }
            List<GeneralName> names = new ArrayList<>();
            request.dnsNames().forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
            for (InetAddress ip : request.ipAddresses()) {
                names.add(new GeneralName(GeneralName.iPAddress, ip.getHostAddress()));
            }
            if (!names.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuerCert));
            X509Certificate certificate = sign(builder, key, KeyType.of(issuerCert.getPublicKey()));
            return holderKey == null ? CertificateAndKey.certificateOnly(certificate) : new CertificateAndKey(certificate, holderKey);
        } catch (CertIOException | java.security.NoSuchAlgorithmException | CertificateException e) {
            throw new PkiException("cannot issue certificate for " + subject + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey, KeyType type) {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(type.signatureAlgorithm())
                    .setProvider(Providers.bouncyCastle()).build(signingKey);
            // Parsed back by the JDK's provider, so callers get the same certificate class as from PEM.
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException | CertificateException e) {
            throw new PkiException("cannot sign certificate with " + type + ": " + e.getMessage(), e);
        }
    }

    static X500Name name(String commonName, List<String> organizations) {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        for (String organization : organizations) {
            builder.addRDN(BCStyle.O, organization);
        }
        if (!commonName.isEmpty()) {
            builder.addRDN(BCStyle.CN, commonName);
        }
        return builder.build();
    }

    private static BigInteger serial(SecureRandom random) {
        // RFC 5280 4.1.2.2: positive, at most 20 octets.
        return new BigInteger(128, random);
    }
}
