package org.concilium.terminology;

import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r4.model.ValueSet.ValueSetExpansionContainsComponent;

/**
 * What {@code ValueSet/$expand} answers: the whole expansion, narrowed by a text filter (a
 * case-insensitive substring of the code or display), then one page of it ({@code offset},
 * {@code count}, at most {@link #MAX_COUNT}), flat, with designations from the CodeSystem when asked.
 * {@code expansion.total} counts every code that passed the filter.
 */
public final class ExpansionPage {

    public static final int MAX_COUNT = 10_000;

    private ExpansionPage() {
    }

    public static ValueSet page(Terminology terminology, ValueSet vs, String filter, int offset, int count,
            boolean includeDesignations) {
        List<ValueSetExpansionContainsComponent> all = Terminology.flatten(terminology.expand(vs).getExpansion().getContains());
        String needle = filter == null ? null : filter.toLowerCase(Locale.ROOT);
        List<ValueSetExpansionContainsComponent> kept = all.stream().filter(c -> needle == null
                || c.getCode().toLowerCase(Locale.ROOT).contains(needle)
                || (c.getDisplay() != null && c.getDisplay().toLowerCase(Locale.ROOT).contains(needle))).toList();
        ValueSet out = new ValueSet();
        out.setId(vs.getIdElement().getIdPart());
        out.setUrl(vs.getUrl()).setVersion(vs.getVersion()).setName(vs.getName()).setTitle(vs.getTitle())
                .setStatus(vs.getStatus());
        ValueSet.ValueSetExpansionComponent e = out.getExpansion();
        e.setIdentifier("urn:uuid:" + UUID.randomUUID()).setTimestamp(new Date()).setTotal(kept.size()).setOffset(offset);
        if (filter != null) {
            e.addParameter().setName("filter").setValue(new StringType(filter));
        }
        e.addParameter().setName("offset").setValue(new IntegerType(offset));
        e.addParameter().setName("count").setValue(new IntegerType(Math.min(count, MAX_COUNT)));
        if (includeDesignations) {
            e.addParameter().setName("includeDesignations").setValue(new BooleanType(true));
        }
        int from = Math.min(offset, kept.size());
        int to = (int) Math.min((long) from + Math.min(count, MAX_COUNT), kept.size());
        for (ValueSetExpansionContainsComponent c : kept.subList(from, to)) {
            ValueSetExpansionContainsComponent copy = e.addContains().setSystem(c.getSystem()).setVersion(c.getVersion())
                    .setCode(c.getCode()).setDisplay(c.getDisplay());
            if (includeDesignations) {
                terminology.hierarchy(c.getSystem()).flatMap(h -> h.concept(c.getCode())).ifPresent(def -> def
                        .getDesignation().forEach(d -> copy.addDesignation().setLanguage(d.getLanguage())
                                .setUse(d.getUse()).setValue(d.getValue())));
            }
        }
        return out;
    }
}
