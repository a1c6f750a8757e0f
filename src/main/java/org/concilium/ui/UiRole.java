package org.concilium.ui;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.concilium.security.Scope;
import org.concilium.security.ScopeSet;

/**
 * What a signed-in person may do, as the same scopes a SMART client holds, so that every access
 * from the dashboard is checked by the same code as an API client's.
 */
public enum UiRole {
    /** Runs network queries and reads their reports. */
    QUERIER(Scope.NETWORK_QUERY),
    /** Also publishes measures to the network. */
    PUBLISHER(Scope.NETWORK_QUERY + " " + Scope.NETWORK_PUBLISH),
    /** The site's own quality staff: reads and evaluates this site's data only, never the network. */
    SITE_STAFF("system/*.rs system/MeasureReport.c");

    private final ScopeSet scope;

    UiRole(String scope) {
        this.scope = ScopeSet.parseStrict(scope);
    }

    public ScopeSet scope() {
        return scope;
    }

    /** The name used on the command line and in the database: querier, publisher, site-staff. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<UiRole> of(String label) {
        return Arrays.stream(values()).filter(r -> r.label().equals(label)).findFirst();
    }
}
