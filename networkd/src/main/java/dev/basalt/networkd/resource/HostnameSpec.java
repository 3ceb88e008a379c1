package dev.basalt.networkd.resource;

/**
 * The hostname networkd wants.
 *
 * @param hostname   short host name
 * @param domainname DNS domain, empty when none
 * @param layer      where this want came from
 */
public record HostnameSpec(String hostname, String domainname, ConfigLayer layer) {
    public HostnameSpec {
        if (!hostname.matches("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")) {
            throw new IllegalArgumentException("hostname '" + hostname
                    + "' must be 1..63 letters, digits or inner hyphens (RFC 1123 label)");
        }
        if (!domainname.isEmpty() && !domainname.matches("([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")) {
            throw new IllegalArgumentException("domain '" + domainname + "' must be dot-separated RFC 1123 labels");
        }
    }
}
