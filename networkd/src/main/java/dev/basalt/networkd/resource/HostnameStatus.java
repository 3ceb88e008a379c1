package dev.basalt.networkd.resource;

/**
 * The hostname in effect (resource {@code hostname}).
 *
 * @param hostname the short host name set with {@code sethostname}
 * @param domainname the DNS domain, empty when none
 */
public record HostnameStatus(String hostname, String domainname) {
    /** {@code hostname.domainname}, or the hostname alone. */
    public String fqdn() {
        return domainname.isEmpty() ? hostname : hostname + "." + domainname;
    }
}
