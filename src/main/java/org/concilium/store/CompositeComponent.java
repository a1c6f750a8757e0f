package org.concilium.store;

import java.util.List;

/**
 * One component of a composite search parameter: the parameter it is defined by (its type gives
 * the value's semantics) and, for each top-level branch of the composite's own expression, the
 * FHIRPath that finds the component's values relative to the element that branch selects (null:
 * the branch has none). Derived from the R4 definitions, see {@link CompositeComponents}.
 */
public record CompositeComponent(SearchParam param, List<String> relativeExpressions) {
}
