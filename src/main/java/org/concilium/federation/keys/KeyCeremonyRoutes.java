package org.concilium.federation.keys;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.concilium.federation.peer.PeerDispatcher;
import org.concilium.federation.peer.PeerRound;

/** Registers the key ceremony's peer rounds with the dispatcher (the peer layer knows no protocol). */
@ApplicationScoped
class KeyCeremonyRoutes {

    @Inject
    PeerDispatcher dispatcher;
    @Inject
    KeyCeremony ceremony;

    void register(@Observes @Priority(PeerDispatcher.REGISTRATION_PRIORITY) StartupEvent event) {
        // ceremony commitments and shares are signed for every site: the coordinator forwards them
        dispatcher.register(PeerRound.CKG_COMMIT, ceremony::commit, true);
        dispatcher.register(PeerRound.CKG_SHARE, ceremony::reveal, true);
        dispatcher.register(PeerRound.CKG_RESULT, ceremony::result, false);
        dispatcher.register(PeerRound.KEY_HASH, ceremony::hash, false);
    }
}
