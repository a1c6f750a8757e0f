package org.concilium.store;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import ca.uhn.fhir.fhirpath.IFhirPathEvaluationContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Enumeration;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Timing;
import org.hl7.fhir.r4.model.UriType;

/**
 * Extracts the index rows of a resource by evaluating each catalog parameter's R4 FHIRPath.
 * {@code resolve()} (as in {@code subject.where(resolve() is Patient)}) answers an empty
 * resource of the referenced type, as HAPI JPA does. FHIRPath engines keep parse caches that are
 * not thread-safe: one per thread. Null-tolerant throughout: an element without a value adds no row.
 */
public final class ResourceIndexer {

    private final ThreadLocal<IFhirPath> fhirPath;
    /** Each expression (a parameter's, or a composite component's relative one) split and compiled once. */
    private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();
    /** Whether plain paths are walked ({@link PathWalk}) rather than run by the FHIRPath engine. */
    private final boolean walk;
    /** Whether derived parameters get rows too (only to check that they equal those they restate). */
    private final boolean all;

    /** One top-level branch of an expression: a walk when it is a plain path, and its parsed FHIRPath. */
    private record Branch(PathWalk walk, IFhirPath.IParsedExpression fhirPath) {
    }

    private record Compiled(List<Branch> branches) {
    }

    public ResourceIndexer(FhirContext context) {
        this(context, true);
    }

    /** With {@code walk} false every expression runs on the FHIRPath engine (PathWalkTest compares the two). */
    ResourceIndexer(FhirContext context, boolean walk) {
        this(context, walk, false);
    }

    /** With {@code all} true derived parameters get rows of their own too ({@code StoredRowsTest} compares them). */
    ResourceIndexer(FhirContext context, boolean walk, boolean all) {
        this.walk = walk;
        this.all = all;
        this.fhirPath = ThreadLocal.withInitial(() -> {
            IFhirPath engine = context.newFhirPath();
            engine.setEvaluationContext(new IFhirPathEvaluationContext() {
                @Override
                public IBase resolveReference(IIdType reference, IBase contextNode) {
                    String type = reference == null ? null : reference.getResourceType();
                    return type != null && context.getResourceTypes().contains(type)
                            ? context.getResourceDefinition(type).newInstance() : null;
                }
            });
            return engine;
        });
    }

    public IndexRows index(Resource resource) {
        String type = resource.fhirType();
        IndexRows rows = new IndexRows();
        if ("Patient".equals(type)) {
            rows.subject = "Patient/" + resource.getIdPart();
        }
        for (SearchParam param : SearchParameterCatalog.params(type)) {
            if (param.isResourceColumn() || !all && SearchParameterCatalog.stored(type, param.name()).derived(param.name())) {
                continue; // a derived parameter's searches read the rows of those it restates (StoredRows)
            }
            if (param.type() == SearchParamType.COMPOSITE) {
                composite(rows, resource, param);
                continue;
            }
            for (IBase value : evaluate(resource, compiled(param.expression()).branches())) {
                add(rows, param, value);
            }
        }
        if (rows.subject == null) {
            rows.subject = rows.references.stream()
                    .filter(r -> "Patient".equals(r.targetType()) && r.targetId() != null
                            && (r.param().equals("patient") || r.param().equals("subject")))
                    .map(r -> "Patient/" + r.targetId()).findFirst().orElse(null);
        }
        return rows;
    }

    private Compiled compiled(String expression) {
        Compiled c = compiled.get(expression);
        return c != null ? c : compiled.computeIfAbsent(expression, this::compile);
    }

    private Compiled compile(String expression) {
        IFhirPath engine = fhirPath.get();
        try {
            List<Branch> branches = new ArrayList<>();
            for (String branch : FhirPathUnion.branches(expression)) {
                branches.add(new Branch(walk ? PathWalk.of(branch) : null, engine.parse(branch)));
            }
            return new Compiled(List.copyOf(branches));
        } catch (Exception ex) {
            throw new IllegalStateException("bad catalog FHIRPath " + expression, ex);
        }
    }

    /**
     * Evaluates each branch of a top-level union separately: the engine's {@code |} de-duplicates
     * by value equality, which on Quantities needs a UCUM service HAPI's worker context lacks (it
     * threw, and Observation.component quantities went unindexed) and is quadratic. A node reached
     * by two branches is kept once (identity).
     */
    private List<IBase> evaluate(IBase node, List<Branch> branches) {
        if (branches.size() == 1) {
            return evaluate(node, branches.get(0));
        }
        Set<IBase> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<IBase> values = new ArrayList<>();
        for (Branch branch : branches) {
            for (IBase v : evaluate(node, branch)) {
                if (seen.add(v)) {
                    values.add(v);
                }
            }
        }
        return values;
    }

    private List<IBase> evaluate(IBase node, Branch branch) {
        if (branch.walk() != null) {
            List<IBase> walked = branch.walk().evaluate(node);
            if (walked != null) {
                return walked;
            }
        }
        try {
            return fhirPath.get().evaluate(node, branch.fhirPath(), IBase.class);
        } catch (RuntimeException e) {
            return List.of(); // an expression that does not apply to this instance indexes nothing
        }
    }

    /**
     * A composite: each element a branch of its expression selects (the Observation, or one
     * component), then both components' values on that element alone, paired. Component values are
     * extracted exactly as for the plain parameters, so matching uses the same columns.
     */
    private void composite(IndexRows rows, Resource resource, SearchParam param) {
        List<Branch> bases = compiled(param.expression()).branches();
        CompositeComponent first = param.components().get(0);
        CompositeComponent second = param.components().get(1);
        for (int b = 0; b < bases.size(); b++) {
            String firstPath = first.relativeExpressions().get(b);
            String secondPath = second.relativeExpressions().get(b);
            if (firstPath == null || secondPath == null) {
                continue;
            }
            List<Branch> firstBranches = compiled(firstPath).branches();
            List<Branch> secondBranches = compiled(secondPath).branches();
            for (IBase element : evaluate(resource, bases.get(b))) {
                IndexRows codes = new IndexRows();
                evaluate(element, firstBranches).forEach(v -> add(codes, first.param(), v));
                if (codes.tokens.isEmpty()) {
                    continue;
                }
                IndexRows values = new IndexRows();
                evaluate(element, secondBranches).forEach(v -> add(values, second.param(), v));
                for (IndexRows.TokenRow c : codes.tokens) {
                    if (c.code() != null) {
                        pair(rows, param.name(), c, values);
                    }
                }
            }
        }
    }

    private static void pair(IndexRows rows, String name, IndexRows.TokenRow c, IndexRows values) {
        String s = c.system();
        String k = c.code();
        values.tokens.stream().filter(t -> t.code() != null).forEach(t -> rows.composites.add(new IndexRows.CompositeRow(
                name, s, k, t.system(), t.code(), null, null, null, null, null, null, null)));
        values.quantities.forEach(q -> rows.composites.add(new IndexRows.CompositeRow(name, s, k, q.system(), q.code(),
                q.value(), q.canonValue(), q.canonCode(), null, null, null, null)));
        values.dates.forEach(d -> rows.composites.add(new IndexRows.CompositeRow(name, s, k, null, null, null, null,
                null, d.low(), d.high(), null, null)));
        values.strings.forEach(v -> rows.composites.add(new IndexRows.CompositeRow(name, s, k, null, null, null, null,
                null, null, null, v.norm(), v.exact())));
    }

    private static void add(IndexRows rows, SearchParam param, IBase value) {
        String name = param.name();
        switch (param.type()) {
            case STRING -> strings(rows, name, value);
            case TOKEN -> tokens(rows, name, value);
            case REFERENCE -> reference(rows, name, value);
            case DATE -> {
                DateRange d = dateOf(value);
                if (d != null) {
                    rows.dates.add(new IndexRows.DateRow(name, d.low(), d.high()));
                }
            }
            case NUMBER -> {
                BigDecimal n = numberOf(value);
                if (n != null) {
                    rows.numbers.add(new IndexRows.NumberRow(name, n));
                }
            }
            case QUANTITY -> quantity(rows, name, value);
            case URI -> {
                if (value instanceof PrimitiveType<?> p && p.getValueAsString() != null) {
                    rows.uris.add(new IndexRows.UriRow(name, p.getValueAsString()));
                }
            }
            default -> {
                // composite: see composite()
            }
        }
    }

    private static void strings(IndexRows rows, String name, IBase value) {
        if (value instanceof HumanName n) {
            string(rows, name, n.getFamily());
            n.getGiven().forEach(g -> string(rows, name, g.getValue()));
            n.getPrefix().forEach(g -> string(rows, name, g.getValue()));
            n.getSuffix().forEach(g -> string(rows, name, g.getValue()));
            string(rows, name, n.getText());
        } else if (value instanceof Address a) {
            a.getLine().forEach(l -> string(rows, name, l.getValue()));
            string(rows, name, a.getCity());
            string(rows, name, a.getDistrict());
            string(rows, name, a.getState());
            string(rows, name, a.getPostalCode());
            string(rows, name, a.getCountry());
            string(rows, name, a.getText());
        } else if (value instanceof PrimitiveType<?> p) {
            string(rows, name, p.getValueAsString());
        }
    }

    private static void string(IndexRows rows, String name, String value) {
        if (value != null && !value.isBlank()) {
            String exact = value.length() > TextNormal.MAX ? value.substring(0, TextNormal.MAX) : value;
            rows.strings.add(new IndexRows.StringRow(name, TextNormal.of(value), exact));
        }
    }

    private static void tokens(IndexRows rows, String name, IBase value) {
        if (value instanceof CodeableConcept cc) {
            String text = cc.getText();
            for (Coding c : cc.getCoding()) {
                token(rows, name, c.getSystem(), c.getCode(), text != null ? text : c.getDisplay());
            }
            if (cc.getCoding().isEmpty() && text != null) {
                token(rows, name, null, null, text);
            }
        } else if (value instanceof Coding c) {
            token(rows, name, c.getSystem(), c.getCode(), c.getDisplay());
        } else if (value instanceof Identifier id) {
            token(rows, name, id.getSystem(), id.getValue(), id.hasType() ? id.getType().getText() : null);
        } else if (value instanceof ContactPoint cp) {
            token(rows, name, cp.hasSystem() ? cp.getSystem().toCode() : null, cp.getValue(), null);
        } else if (value instanceof Enumeration<?> e) {
            // a required code may be absent with only an extension (data-absent-reason): no value, no system
            if (e.getValue() != null) {
                token(rows, name, e.getSystem(), e.getValueAsString(), null);
            }
        } else if (value instanceof BooleanType b) {
            token(rows, name, null, b.getValueAsString(), null);
        } else if (value instanceof PrimitiveType<?> p) {
            token(rows, name, null, p.getValueAsString(), null);
        }
    }

    private static void token(IndexRows rows, String name, String system, String code, String text) {
        if (code == null && system == null && text == null) {
            return;
        }
        rows.tokens.add(new IndexRows.TokenRow(name, system, code, text == null ? null : TextNormal.of(text)));
    }

    private static void reference(IndexRows rows, String name, IBase value) {
        if (value instanceof Reference ref) {
            String type = null;
            String id = null;
            String url = null;
            String target = ref.getReference();
            if (target != null && !target.isBlank() && !target.startsWith("#")) {
                TargetReference t = TargetReference.parse(target);
                type = t.type();
                id = t.id();
                url = t.url();
            }
            String idSystem = ref.hasIdentifier() ? ref.getIdentifier().getSystem() : null;
            String idValue = ref.hasIdentifier() ? ref.getIdentifier().getValue() : null;
            if (id != null || url != null || idValue != null) {
                rows.references.add(new IndexRows.ReferenceRow(name, type, id, url, idSystem, idValue));
            }
        } else if (value instanceof UriType canonical && canonical.getValue() != null) {
            String written = canonical.getValue();
            int bar = written.indexOf('|');
            String url = bar < 0 ? written : written.substring(0, bar);
            TargetReference t = TargetReference.parse(url);
            rows.references.add(new IndexRows.ReferenceRow(name, t.type(), t.id(), url, null, null));
        }
    }

    private static void quantity(IndexRows rows, String name, IBase value) {
        if (value instanceof Quantity q && q.getValue() != null) {
            Ucum.Canonical canonical = Ucum.SYSTEM.equals(q.getSystem()) ? Ucum.canonical(q.getValue(), q.getCode())
                    : null;
            rows.quantities.add(new IndexRows.QuantityRow(name, q.getValue(), q.getSystem(),
                    q.getCode() != null ? q.getCode() : q.getUnit(), canonical == null ? null : canonical.value(),
                    canonical == null ? null : canonical.code()));
        } else if (value instanceof Money m && m.getValue() != null) {
            rows.quantities.add(new IndexRows.QuantityRow(name, m.getValue(), "urn:iso:std:iso:4217", m.getCurrency(),
                    null, null));
        }
    }

    private static BigDecimal numberOf(IBase value) {
        if (value instanceof DecimalType d) {
            return d.getValue();
        }
        if (value instanceof IntegerType i && i.getValue() != null) {
            return BigDecimal.valueOf(i.getValue());
        }
        if (value instanceof StringType s && s.getValue() != null) {
            try {
                return new BigDecimal(s.getValue());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    static DateRange dateOf(IBase value) {
        try {
            if (value instanceof BaseDateTimeType dt && dt.getValueAsString() != null) {
                return DateRange.parse(dt.getValueAsString());
            }
            if (value instanceof Period p && (p.hasStart() || p.hasEnd())) {
                DateRange start = p.hasStart() ? DateRange.parse(p.getStartElement().getValueAsString()) : null;
                DateRange end = p.hasEnd() ? DateRange.parse(p.getEndElement().getValueAsString()) : null;
                return DateRange.span(start, end);
            }
            if (value instanceof Timing t && t.hasEvent()) {
                DateRange first = null;
                DateRange last = null;
                for (var e : t.getEvent()) {
                    DateRange d = e.getValueAsString() == null ? null : DateRange.parse(e.getValueAsString());
                    if (d != null) {
                        first = first == null || d.low().isBefore(first.low()) ? d : first;
                        last = last == null || d.high().isAfter(last.high()) ? d : last;
                    }
                }
                return first == null ? null : new DateRange(first.low(), last.high());
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return null;
    }
}
