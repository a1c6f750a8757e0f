package org.concilium.security;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** A space-separated scope string, parsed: what a client is registered for, asks for or holds. */
public record ScopeSet(Set<Scope> scopes) {

    public static final ScopeSet EMPTY = new ScopeSet(Set.of());

    public ScopeSet {
        scopes = Set.copyOf(scopes);
    }

    /** Every scope of {@code text} that parses; the unknown or malformed ones are dropped. */
    public static ScopeSet parseLenient(String text) {
        Set<Scope> out = new LinkedHashSet<>();
        for (String s : words(text)) {
            Scope.parse(s).ifPresent(out::add);
        }
        return new ScopeSet(out);
    }

    /** Every scope of {@code text}, or an exception naming the first one that is not a scope we know. */
    public static ScopeSet parseStrict(String text) {
        Set<Scope> out = new LinkedHashSet<>();
        for (String s : words(text)) {
            out.add(Scope.parse(s).orElseThrow(() -> new IllegalArgumentException("not a supported scope: '" + s
                    + "' (system/<Type|*>.<cruds>, system/<Type|*>.read|write, " + Scope.NETWORK_QUERY + ", "
                    + Scope.NETWORK_PUBLISH + ")")));
        }
        return new ScopeSet(out);
    }

    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        if (text != null) {
            for (String w : text.trim().split("\\s+")) {
                if (!w.isEmpty()) {
                    out.add(w);
                }
            }
        }
        return out;
    }

    public boolean isEmpty() {
        return scopes.isEmpty();
    }

    public boolean permits(String type, Interaction interaction) {
        for (Scope s : scopes) {
            if (s.permits(type, interaction)) {
                return true;
            }
        }
        return false;
    }

    public boolean hasNetwork(String name) {
        return scopes.contains(Scope.network(name));
    }

    /**
     * What may be granted to a client registered for {@code registered} that asks for these scopes:
     * each requested scope cut down to what some registered scope covers. Never more than registered.
     */
    public ScopeSet grantable(ScopeSet registered) {
        Set<Scope> out = new LinkedHashSet<>();
        for (Scope asked : scopes) {
            for (Scope allowed : registered.scopes) {
                Optional<Scope> both = asked.intersect(allowed);
                both.ifPresent(out::add);
            }
        }
        return new ScopeSet(out);
    }

    @Override
    public String toString() {
        return scopes.stream().map(Scope::toString).sorted().collect(Collectors.joining(" "));
    }
}
