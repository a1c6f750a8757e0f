package org.concilium.security;

/**
 * Who sent a request, once its bearer token checked out: the registered client id (also the
 * querier's identity in the privacy ledger) and the scopes it holds now.
 */
public record Caller(String clientId, ScopeSet scope) {

    /** Refuses (403) unless the scopes cover {@code interaction} on {@code type}. */
    public void require(String type, Interaction interaction) {
        if (!scope.permits(type, interaction)) {
            throw new InsufficientScopeException("this client's token does not allow " + name(interaction) + " of "
                    + type + "; it needs the scope system/" + type + "." + interaction.letter()
                    + " (or system/*." + interaction.letter() + ")");
        }
    }

    /** Refuses (403) unless the token holds one of the network scopes named. */
    public void requireNetwork(String... anyOf) {
        for (String s : anyOf) {
            if (scope.hasNetwork(s)) {
                return;
            }
        }
        throw new InsufficientScopeException("this client's token does not allow this on the network API; it needs "
                + String.join(" or ", anyOf));
    }

    private static String name(Interaction i) {
        return i.name().toLowerCase(java.util.Locale.ROOT);
    }
}
