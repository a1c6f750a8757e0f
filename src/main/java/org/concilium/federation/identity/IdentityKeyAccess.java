package org.concilium.federation.identity;

/**
 * Capability to read a node's raw identity private key. Every use is a visible, greppable
 * {@code IdentityKeyAccess.grant()}: only the TLS key-store builder and key-file writer need it; signing goes
 * through {@link SiteIdentity#sign(byte[])}.
 */
public final class IdentityKeyAccess {
    private static final IdentityKeyAccess INSTANCE = new IdentityKeyAccess();

    private IdentityKeyAccess() {}

    public static IdentityKeyAccess grant() {
        return INSTANCE;
    }
}
