package org.concilium.store;

/**
 * One search parameter this node supports for one resource type. {@code expression} is the
 * FHIRPath that both the CapabilityStatement publishes and the indexer evaluates, so what we
 * advertise is exactly what we index.
 */
public record SearchParam(String name, SearchParamType type, String expression, String description) {

    public static SearchParam token(String name, String expression, String description) {
        return new SearchParam(name, SearchParamType.TOKEN, expression, description);
    }

    public static SearchParam date(String name, String expression, String description) {
        return new SearchParam(name, SearchParamType.DATE, expression, description);
    }

    public static SearchParam reference(String name, String expression, String description) {
        return new SearchParam(name, SearchParamType.REFERENCE, expression, description);
    }
}
