package dev.basalt.networkd.resource;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Linux bonding modes, in the kernel's numbering ({@code IFLA_BOND_MODE}); config names as in Talos. */
public enum BondMode {
    BALANCE_RR("balance-rr"),
    ACTIVE_BACKUP("active-backup"),
    BALANCE_XOR("balance-xor"),
    BROADCAST("broadcast"),
    IEEE_802_3AD("802.3ad"),
    BALANCE_TLB("balance-tlb"),
    BALANCE_ALB("balance-alb");

    private final String configName;

    BondMode(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** The kernel's number for this mode. */
    public int kernelValue() {
        return ordinal();
    }

    public static BondMode parse(String name) {
        for (BondMode m : values()) {
            if (m.configName.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("bond mode '" + name + "' is not one of "
                + Arrays.stream(values()).map(BondMode::configName).collect(Collectors.joining(", ")));
    }
}
