package org.concilium.federation.query;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.concilium.federation.peer.PeerDispatcher;
import org.concilium.federation.peer.PeerRound;

/** Registers the query protocol's peer rounds (and the catalog and policy rounds) with the dispatcher. */
@ApplicationScoped
class QueryRoutes {

    @Inject
    PeerDispatcher dispatcher;
    @Inject
    SiteParticipant participant;
    @Inject
    CatalogPublisher catalog;
    @Inject
    PolicyAgreement policy;

    void register(@Observes @Priority(PeerDispatcher.REGISTRATION_PRIORITY) StartupEvent event) {
        // commitments, contributions and shares are signed once, stored, and re-sent as they are
        dispatcher.register(PeerRound.CONTRIBUTE, participant::contribute, true);
        dispatcher.register(PeerRound.REVEAL, participant::reveal, true);
        dispatcher.register(PeerRound.KEYSWITCH, participant::keySwitch, true);
        dispatcher.register(PeerRound.ABORT, participant::abort, false);
        dispatcher.register(PeerRound.PUBLISH_CHECK, catalog::check, false);
        dispatcher.register(PeerRound.PUBLISH, catalog::apply, false);
        dispatcher.register(PeerRound.POLICY_HASH, policy::hash, false);
    }
}
