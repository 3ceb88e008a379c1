package dev.basalt.machinery.pki;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * A PKCS#10 certificate signing request whose signature has been verified. Immutable.
 *
 * @param commonName   subject CN, empty when absent
 * @param organizations subject O values, in order
 * @param dnsNames     DNS subject alternative names
 * @param ipAddresses  IP subject alternative names
 * @param publicKey    the key to certify
 * @param der          the request as received (DER)
 */
public record Csr(String commonName, List<String> organizations, List<String> dnsNames,
                  List<InetAddress> ipAddresses, PublicKey publicKey, byte[] der) {

    public Csr {
        organizations = List.copyOf(organizations);
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        der = der.clone();
    }

    @Override
    public byte[] der() {
        return der.clone();
    }

    public String pem() {
        return Pem.encode("CERTIFICATE REQUEST", der);
    }

    /** Builds and signs a request for {@code keys}. */
    public static Csr generate(KeyPair keys, String commonName, List<String> organizations, List<String> dnsNames,
                               List<InetAddress> ipAddresses) {
        try {
            var builder = new JcaPKCS10CertificationRequestBuilder(CertificateAuthority.name(commonName, organizations), keys.getPublic());
            List<GeneralName> names = new ArrayList<>();
            dnsNames.forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
            ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip.getHostAddress())));
            if (!names.isEmpty()) {
                ExtensionsGenerator extensions = new ExtensionsGenerator();
                extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
                builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
            }
            var signer = new JcaContentSignerBuilder(KeyType.of(keys.getPublic()).signatureAlgorithm())
                    .setProvider(Providers.bouncyCastle()).build(Providers.forSigning(keys.getPrivate()));
            return parse(builder.build(signer).getEncoded());
        } catch (IOException | OperatorCreationException e) {
            throw new PkiException("cannot build certificate request: " + e.getMessage(), e);
        }
    }

    /** Parses a PEM or DER request and verifies its self-signature. */
    public static Csr parse(byte[] pemOrDer) {
        if (pemOrDer == null || pemOrDer.length == 0) {
            throw new PkiException("certificate request is empty");
        }
        byte[] der = pemOrDer;
        String text = new String(pemOrDer, StandardCharsets.US_ASCII);
        if (text.contains("-----BEGIN")) {
            try (PemReader reader = new PemReader(new StringReader(text))) {
                PemObject object = reader.readPemObject();
                if (object == null || !object.getType().endsWith("CERTIFICATE REQUEST")) {
                    throw new PkiException("PEM data holds no CERTIFICATE REQUEST block");
                }
                der = object.getContent();
            } catch (IOException e) {
                throw new PkiException("invalid certificate request PEM: " + e.getMessage(), e);
            }
        }
        try {
            JcaPKCS10CertificationRequest request = new JcaPKCS10CertificationRequest(new PKCS10CertificationRequest(der));
            PublicKey publicKey = request.getPublicKey();
            KeyType.of(publicKey);
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder()
                    .setProvider(Providers.bouncyCastle()).build(request.getSubjectPublicKeyInfo()))) {
                throw new PkiException("certificate request signature does not verify");
            }
            String commonName = "";
            for (RDN rdn : request.getSubject().getRDNs(BCStyle.CN)) {
                commonName = IETFUtils.valueToString(rdn.getFirst().getValue());
            }
            List<String> organizations = new ArrayList<>();
            for (RDN rdn : request.getSubject().getRDNs(BCStyle.O)) {
                organizations.add(IETFUtils.valueToString(rdn.getFirst().getValue()));
            }
            List<String> dns = new ArrayList<>();
            List<InetAddress> ips = new ArrayList<>();
            Extensions extensions = request.getRequestedExtensions();
            if (extensions != null) {
                GeneralNames names = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
                if (names != null) {
                    for (GeneralName name : names.getNames()) {
                        switch (name.getTagNo()) {
                            case GeneralName.dNSName -> dns.add(name.getName().toString());
                            case GeneralName.iPAddress -> ips.add(InetAddress.getByAddress(
                                    DEROctetString.getInstance(name.getName()).getOctets()));
                            default -> { }
                        }
                    }
                }
            }
            return new Csr(commonName, organizations, dns, ips, publicKey, der);
        } catch (PkiException e) {
            throw e;
        } catch (IOException | IllegalArgumentException | ClassCastException | OperatorCreationException | PKCSException
                 | java.security.GeneralSecurityException | IllegalStateException e) {
            throw new PkiException("malformed certificate request: " + e.getMessage(), e);
        }
    }
}
