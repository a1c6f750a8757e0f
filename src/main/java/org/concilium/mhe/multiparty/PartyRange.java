package org.concilium.mhe.multiparty;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.concilium.mhe.rlwe.Parameters;

/**
 * The contiguous block of parties [firstParty, firstParty + partyCount) whose contributions a
 * share holds: a single party's share has count 1; aggregation (star or tree) joins adjacent
 * blocks, and finalize demands the block of all parties, so a missing or doubled party is caught.
 */
interface PartyRange {
    int firstParty();

    int partyCount();

    static void validate(Parameters params, int first, int count) {
        if (first < 0 || count < 1 || first + count > params.maxParties()) {
            throw new IllegalArgumentException("party range [" + first + ", " + (first + count) + ") invalid for "
                    + params.maxParties() + " max parties");
        }
    }

    /** Checks the shares tile one contiguous block without gaps or overlaps; returns them sorted. */
    static <T extends PartyRange> List<T> contiguous(List<T> shares) {
        if (shares.isEmpty()) {
            throw new IllegalArgumentException("no shares to aggregate");
        }
        List<T> sorted = new ArrayList<>(shares);
        sorted.sort(Comparator.comparingInt(PartyRange::firstParty));
        int next = sorted.get(0).firstParty();
        for (T s : sorted) {
            if (s.firstParty() < next) {
                throw new IllegalArgumentException("party " + s.firstParty() + " contributes twice");
            }
            if (s.firstParty() > next) {
                throw new IllegalArgumentException("missing share of party " + next);
            }
            next = s.firstParty() + s.partyCount();
        }
        return sorted;
    }

    static void requireAll(PartyRange r, int parties) {
        if (r.firstParty() != 0 || r.partyCount() != parties) {
            throw new IllegalStateException("aggregate covers parties [" + r.firstParty() + ", "
                    + (r.firstParty() + r.partyCount()) + ") but all " + parties + " parties are required");
        }
    }
}
