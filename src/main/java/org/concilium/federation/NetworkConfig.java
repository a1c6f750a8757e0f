package org.concilium.federation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How this node takes part in a network. Without a descriptor the node serves only /fhir. */
@ConfigMapping(prefix = "concilium.network")
public interface NetworkConfig {

    /** Path of the network descriptor (network id, epoch, sites with pinned certificates). */
    Optional<String> descriptor();

    /** Folder holding this site's identity.key / identity.crt. */
    @WithDefault("identity")
    String identityDir();

    /** File with the 32-byte key-encryption key that seals the secret-key share at rest. */
    @WithDefault("kek")
    String kekFile();

    /** Port of the mutual-TLS peer endpoint (/peer/...), never exposed to queriers. */
    @WithDefault("8443")
    int peerPort();

    /**
     * How long a peer request's body may take to arrive once its headers have (408 and the
     * connection closed after it): a member cannot hold a connection with a body it never sends.
     */
    @WithDefault("PT60S")
    Duration peerBodyTimeout();

    /**
     * A peer connection with no bytes either way for this long is closed (a member holding idle
     * connections). Well above any site timeout, since a site computing its answer sends nothing.
     */
    @WithDefault("PT10M")
    Duration peerIdleTimeout();

    /** Network queries this node runs as entry node at once; more get 503 + Retry-After (query/QueryAdmission). */
    @WithDefault("32")
    int maxQueriesInFlight();

    /** How long the entry node waits for one site in one round before failing the query closed. */
    @WithDefault("PT120S")
    Duration siteTimeout();

    /**
     * How long a participant waits, after contributing, for the entry node's key-switch request
     * before it aborts the query (the entry node died or gave up). Well above any site timeout.
     */
    @WithDefault("PT10M")
    Duration stalledAfter();

    /** Measures (canonical URLs) this site agrees to evaluate for the network; empty = all. */
    Optional<List<String>> allowedMeasures();

    /**
     * Exists for crash tests only: the name of a protocol step (see {@code query.CrashPoint}) at
     * which this node halts abruptly, as if killed with SIGKILL. Never set it in production.
     */
    Optional<String> haltAt();
}
