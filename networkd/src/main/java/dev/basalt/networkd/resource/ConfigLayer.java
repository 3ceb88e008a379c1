package dev.basalt.networkd.resource;

/**
 * Where a spec came from. A higher layer wins over a lower one for the same key: defaults &lt; kernel command line
 * ({@code ip=}) &lt; DHCP (an operator running on an interface) &lt; machine config.
 */
public enum ConfigLayer {
    DEFAULT, CMDLINE, OPERATOR, MACHINE_CONFIG
}
