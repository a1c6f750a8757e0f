package org.concilium.federation;

import java.util.List;

/**
 * A network query failed closed: no result, and the sites named are the reason. The status says
 * why: 504 a site timed out, 503 a site was unreachable, 422 a site refused.
 */
public class NetworkQueryException extends RuntimeException {

    private final int status;
    private final List<String> sites;

    public NetworkQueryException(int status, String message, List<String> sites) {
        super(message);
        this.status = status;
        this.sites = List.copyOf(sites);
    }

    public int status() {
        return status;
    }

    public List<String> sites() {
        return sites;
    }
}
