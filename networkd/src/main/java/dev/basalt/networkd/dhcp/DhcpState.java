package dev.basalt.networkd.dhcp;

/** The client states of RFC 2131 §4.4 (Figure 5) that this client goes through. */
public enum DhcpState {
    INIT, SELECTING, REQUESTING, BOUND, RENEWING, REBINDING, STOPPED
}
