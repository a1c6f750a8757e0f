package org.concilium.security;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One granted permission: either {@code system/<Type|*>.<cruds>} (SMART v2; the v1 forms
 * {@code .read}, {@code .write} and {@code .*} are read as rs, cud and cruds) or one of the
 * network's own scopes. Scopes with SMART v2 query parameters ({@code ?category=...}) are not
 * supported and never parse, so they are never granted.
 */
public record Scope(String resourceType, Set<Interaction> interactions, String network) {

    public static final String NETWORK_QUERY = "concilium/network.query";
    public static final String NETWORK_PUBLISH = "concilium/network.publish";
    public static final String ANY_TYPE = "*";

    private static final String ORDER = "cruds";

    public static Scope network(String name) {
        return new Scope(null, Set.of(), name);
    }

    public static Scope system(String type, Set<Interaction> interactions) {
        return new Scope(type, Set.copyOf(interactions), null);
    }

    /** The scope a token string names, or empty when it is malformed or not one we grant. */
    public static Optional<Scope> parse(String text) {
        if (text.equals(NETWORK_QUERY) || text.equals(NETWORK_PUBLISH)) {
            return Optional.of(network(text));
        }
        if (!text.startsWith("system/") || text.contains("?")) {
            return Optional.empty();
        }
        int dot = text.lastIndexOf('.');
        if (dot <= "system/".length()) {
            return Optional.empty();
        }
        String type = text.substring("system/".length(), dot);
        if (!type.equals(ANY_TYPE) && !type.matches("[A-Z][A-Za-z]{1,63}")) {
            return Optional.empty();
        }
        return permissions(text.substring(dot + 1)).map(p -> system(type, p));
    }

    private static Optional<Set<Interaction>> permissions(String text) {
        switch (text) {
            case "read":
                return Optional.of(EnumSet.of(Interaction.READ, Interaction.SEARCH));
            case "write":
                return Optional.of(EnumSet.of(Interaction.CREATE, Interaction.UPDATE, Interaction.DELETE));
            case "*":
                return Optional.of(EnumSet.allOf(Interaction.class));
            default:
                break;
        }
        // v2: a non-empty subsequence of c r u d s, in that order
        if (text.isEmpty() || !isOrderedSubsequence(text)) {
            return Optional.empty();
        }
        EnumSet<Interaction> out = EnumSet.noneOf(Interaction.class);
        for (char c : text.toCharArray()) {
            for (Interaction i : Interaction.values()) {
                if (i.letter() == c) {
                    out.add(i);
                }
            }
        }
        return Optional.of(out);
    }

    private static boolean isOrderedSubsequence(String text) {
        int from = 0;
        for (char c : text.toCharArray()) {
            int at = ORDER.indexOf(c, from);
            if (at < 0) {
                return false;
            }
            from = at + 1;
        }
        return true;
    }

    public boolean isNetwork() {
        return network != null;
    }

    public boolean permits(String type, Interaction interaction) {
        return !isNetwork() && (resourceType.equals(ANY_TYPE) || resourceType.equals(type))
                && interactions.contains(interaction);
    }

    /** What both scopes allow, or empty: the part of a requested scope that a registered one covers. */
    public Optional<Scope> intersect(Scope other) {
        if (isNetwork() || other.isNetwork()) {
            return network != null && network.equals(other.network) ? Optional.of(this) : Optional.empty();
        }
        String type;
        if (resourceType.equals(other.resourceType) || other.resourceType.equals(ANY_TYPE)) {
            type = resourceType;
        } else if (resourceType.equals(ANY_TYPE)) {
            type = other.resourceType;
        } else {
            return Optional.empty();
        }
        EnumSet<Interaction> both = EnumSet.noneOf(Interaction.class);
        both.addAll(interactions);
        both.retainAll(other.interactions);
        return both.isEmpty() ? Optional.empty() : Optional.of(system(type, both));
    }

    /** The SMART v2 spelling ({@code system/Patient.rs}). */
    @Override
    public String toString() {
        if (isNetwork()) {
            return network;
        }
        StringBuilder letters = new StringBuilder();
        for (char c : ORDER.toCharArray()) {
            for (Interaction i : interactions) {
                if (i.letter() == c) {
                    letters.append(c);
                }
            }
        }
        return "system/" + resourceType + "." + letters.toString().toLowerCase(Locale.ROOT);
    }
}
