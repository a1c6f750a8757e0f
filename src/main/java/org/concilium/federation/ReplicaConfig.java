package org.concilium.federation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** This process as one replica of its site (several processes of one site may share one PostgreSQL). */
@ConfigMapping(prefix = "concilium.replica")
public interface ReplicaConfig {

    /**
     * The replica's name, stable across its restarts so that it recognises its own orphans (e.g. a
     * StatefulSet pod name). Unset: the name kept in DATA/replica-id, made on first start.
     */
    Optional<String> id();

    /**
     * How long a query stays this replica's after its last renewal (renewed every third of it while
     * the process lives). When it lapses, another replica of the site aborts the query.
     */
    @WithDefault("PT30S")
    Duration lease();
}
