package org.concilium.federation.keys;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.concilium.federation.ReadinessCondition;

/** Ready once this node holds the collective key and every peer reported the same hash. */
@ApplicationScoped
class KeyReadiness implements ReadinessCondition {

    @Inject
    KeyCeremony ceremony;
    @Inject
    CollectiveKeys keys;

    @Override
    public boolean ready() {
        return ceremony.ready();
    }

    @Override
    public Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        // the public key's fingerprint: lets operators (and tests) see that every site holds the
        // same collective key and that a new epoch rotated it
        keys.keyHash().ifPresent(hash -> data.put("collectiveKey", hash));
        return data;
    }
}
