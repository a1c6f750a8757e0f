package org.concilium.store;

import java.util.List;

/**
 * {@code _include} / {@code _revinclude}: {@code sourceType:param[:targetType]}. {@code iterate}
 * applies it once more to what the first round included.
 */
public record Include(String sourceType, SearchParam param, String targetType, boolean iterate) {

    /**
     * The types an _include may return: the named target, else the parameter's declared targets (every
     * stored type when it declares none). A stored reference can name any type (Observation.subject
     * pointing at a Practitioner), and the caller's scopes were checked against these types only
     * (fhir/SearchScopes), so an include never follows a reference to another type.
     */
    public List<String> targetTypes() {
        if (targetType != null) {
            return List.of(targetType);
        }
        return param.targets().isEmpty() ? SearchParameterCatalog.types()
                : param.targets().stream().filter(SearchParameterCatalog::supports).sorted().toList();
    }
}
