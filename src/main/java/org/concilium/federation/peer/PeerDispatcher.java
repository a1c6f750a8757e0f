package org.concilium.federation.peer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.concilium.federation.identity.SignedEnvelope;
import org.concilium.federation.keys.KeyCeremony;
import org.concilium.federation.query.CatalogPublisher;
import org.concilium.federation.query.SiteParticipant;

/** Routes each verified peer request to the protocol code and returns the signed response. */
@ApplicationScoped
public class PeerDispatcher {

    @Inject
    KeyCeremony ceremony;
    @Inject
    SiteParticipant participant;
    @Inject
    CatalogPublisher catalog;
    @Inject
    PeerClient peers;

    public byte[] dispatch(PeerRound round, SignedEnvelope request) {
        return switch (round) {
            // contributions and shares are signed once, stored, and re-sent as they are
            case CONTRIBUTE -> participant.contribute(request);
            case KEYSWITCH -> participant.keySwitch(request);
            // ceremony commitments and shares are signed for every site: the coordinator forwards them
            case CKG_COMMIT -> ceremony.commit(request);
            case CKG_SHARE -> ceremony.reveal(request);
            case CKG_RESULT -> reply(request, round, ceremony.result(request));
            case KEY_HASH -> reply(request, round, ceremony.hash(request));
            case PUBLISH -> reply(request, round, catalog.apply(request));
            case ABORT -> reply(request, round, participant.abort(request));
        };
    }

    private byte[] reply(SignedEnvelope request, PeerRound round, byte[] payload) {
        return peers.sign(request.header().sender(), round, request.header().queryId(), payload);
    }
}
