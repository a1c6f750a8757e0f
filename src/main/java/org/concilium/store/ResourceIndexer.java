package org.concilium.store;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumeration;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Extracts the indexed search values of a resource by evaluating each catalog parameter's
 * FHIRPath. FHIRPath engines keep parse caches that are not thread-safe: one per thread.
 */
public final class ResourceIndexer {

    private final ThreadLocal<IFhirPath> fhirPath;
    private final Map<String, IFhirPath.IParsedExpression> parsedCache = new ConcurrentHashMap<>();

    public ResourceIndexer(FhirContext context) {
        this.fhirPath = ThreadLocal.withInitial(context::newFhirPath);
    }

    public IndexedFields index(Resource resource) {
        String type = resource.fhirType();
        String subject = "Patient".equals(type) ? "Patient/" + resource.getIdPart() : null;
        Set<String> tokens = new LinkedHashSet<>();
        DateRange date = null;
        for (SearchParam param : SearchParameterCatalog.params(type)) {
            switch (param.type()) {
                case REFERENCE -> {
                    for (IBase value : evaluate(resource, param)) {
                        if (value instanceof Reference ref && ref.getReference() != null && !ref.getReference().isBlank()) {
                            subject = normalisePatientReference(ref.getReference());
                        }
                    }
                }
                case TOKEN -> {
                    for (IBase value : evaluate(resource, param)) {
                        addTokens(tokens, param.name(), value);
                    }
                }
                case DATE -> {
                    for (IBase value : evaluate(resource, param)) {
                        date = dateOf(value);
                    }
                }
                default -> {
                    // _id and _lastUpdated live in their own columns
                }
            }
        }
        return new IndexedFields(subject, List.copyOf(tokens), date);
    }

    private List<IBase> evaluate(Resource resource, SearchParam param) {
        IFhirPath engine = fhirPath.get();
        IFhirPath.IParsedExpression parsed = parsedCache.computeIfAbsent(param.expression(), e -> {
            try {
                return engine.parse(e);
            } catch (Exception ex) {
                throw new IllegalStateException("bad catalog FHIRPath " + e, ex);
            }
        });
        return engine.evaluate(resource, parsed, IBase.class);
    }

    /** 'Patient/x', 'x' or an absolute URL ending in Patient/x → 'Patient/x'. */
    public static String normalisePatientReference(String reference) {
        String[] parts = reference.split("/");
        if (parts.length >= 2 && !parts[parts.length - 2].isEmpty()) {
            String id = parts[parts.length - 1];
            String type = parts[parts.length - 2];
            if ("_history".equals(type) && parts.length >= 4) {
                return parts[parts.length - 4] + "/" + parts[parts.length - 3];
            }
            return type + "/" + id;
        }
        return "Patient/" + reference;
    }

    private static void addTokens(Set<String> out, String name, IBase value) {
        if (value instanceof CodeableConcept cc) {
            cc.getCoding().forEach(c -> addCode(out, name, c.getSystem(), c.getCode()));
        } else if (value instanceof Coding c) {
            addCode(out, name, c.getSystem(), c.getCode());
        } else if (value instanceof Identifier id) {
            addCode(out, name, id.getSystem(), id.getValue());
        } else if (value instanceof Enumeration<?> e) {
            // a required code may be absent with only an extension (data-absent-reason): no value, no system
            if (e.getValue() != null) {
                addCode(out, name, e.getSystem(), e.getValueAsString());
            }
        } else if (value instanceof PrimitiveType<?> p && p.getValueAsString() != null) {
            out.add(name + "=" + p.getValueAsString());
        }
    }

    private static void addCode(Set<String> out, String name, String system, String code) {
        if (code == null) {
            if (system != null) {
                out.add(name + "=" + system + "|");
            }
            return;
        }
        out.add(name + "=" + code);
        out.add(name + "=" + (system == null ? "" : system) + "|" + code);
        if (system != null) {
            out.add(name + "=" + system + "|");
        }
    }

    private static DateRange dateOf(IBase value) {
        if (value instanceof BaseDateTimeType dt && dt.getValueAsString() != null) {
            return DateRange.parse(dt.getValueAsString());
        }
        if (value instanceof Period p && (p.hasStart() || p.hasEnd())) {
            DateRange start = p.hasStart() ? DateRange.parse(p.getStartElement().getValueAsString()) : null;
            DateRange end = p.hasEnd() ? DateRange.parse(p.getEndElement().getValueAsString()) : null;
            return DateRange.span(start, end);
        }
        return null;
    }
}
