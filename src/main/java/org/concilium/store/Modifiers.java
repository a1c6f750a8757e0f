package org.concilium.store;

import java.util.Set;

/** Which search modifiers this server implements, per parameter type (anything else is a 400). */
final class Modifiers {

    private Modifiers() {
    }

    static boolean allowed(String type, SearchParam param, String modifier) {
        if (param.name().equals("_id")) {
            return modifier.equals("not");
        }
        if (param.name().equals("_lastUpdated")) {
            return false;
        }
        if (modifier.equals("missing")) {
            return true;
        }
        return switch (param.type()) {
            case STRING -> Set.of("exact", "contains").contains(modifier);
            case TOKEN -> Set.of("not", "text", "below", "above").contains(modifier); // below/above: Subsumption
            case URI -> Set.of("below", "above").contains(modifier);
            case REFERENCE -> modifier.equals("identifier") || isTargetType(param, modifier);
            default -> false;
        };
    }

    /** {@code subject:Patient=123}: the type must be a resource type the parameter may point at. */
    static boolean isTargetType(SearchParam param, String modifier) {
        if (param.targets().isEmpty()) {
            return FhirJson.context().getResourceTypes().contains(modifier);
        }
        return param.targets().contains(modifier);
    }
}
