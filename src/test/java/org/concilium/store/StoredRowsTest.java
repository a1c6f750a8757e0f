package org.concilium.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.concilium.demo.SyntheticPopulation;
import org.concilium.testing.SharedData;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

/**
 * A derived parameter ({@link StoredRows}) is not indexed, so its searches are only right if the rows
 * it would have had are exactly the rows of the parameters it restates (of its target type): checked
 * here for every derived parameter of every stored type, by indexing with the derived ones too.
 */
class StoredRowsTest {

    @Test
    void theR4RestatementsAreRecognisedAndNothingElse() {
        assertThat(SearchParameterCatalog.stored("Observation", "patient"))
                .isEqualTo(new StoredRows(List.of("subject"), "Patient"));
        assertThat(SearchParameterCatalog.stored("Observation", "combo-code").params())
                .containsExactlyInAnyOrder("code", "component-code");
        assertThat(SearchParameterCatalog.stored("Observation", "combo-value-quantity").params())
                .containsExactlyInAnyOrder("value-quantity", "component-value-quantity");
        assertThat(SearchParameterCatalog.stored("Observation", "combo-code-value-quantity").params())
                .containsExactlyInAnyOrder("code-value-quantity", "component-code-value-quantity");
        assertThat(SearchParameterCatalog.stored("Encounter", "patient"))
                .isEqualTo(new StoredRows(List.of("subject"), "Patient"));
        for (String own : List.of("code", "subject", "component-code", "value-quantity", "date", "_tag")) {
            assertThat(SearchParameterCatalog.stored("Observation", own).derived(own)).as(own).isFalse();
        }
        // a parameter with rows of its own where no other one restates it
        assertThat(SearchParameterCatalog.stored("Immunization", "patient").derived("patient")).isFalse();
        assertThat(SearchParameterCatalog.patientCompartmentRows("Observation")).contains("subject")
                .doesNotContain("patient");
    }

    @Test
    void derivedRowsAreTheRowsOfWhatTheyRestateOnGeneratedAndHandMadeData() {
        List<Resource> all = new ArrayList<>(handMade());
        SyntheticPopulation.generateBundles(7, 0, 80, 30).forEach(b -> b.getEntry().forEach(e -> all.add(e.getResource())));
        assertThat(compare(all)).isGreaterThan(1_000);
    }

    @Test
    void derivedRowsAreTheRowsOfWhatTheyRestateOnTheSharedSets() throws IOException {
        List<Resource> all = new ArrayList<>(SharedData.resources(SharedData.dir("synthea-100")));
        all.addAll(SharedData.resources(SharedData.dir("ecqm-content-r4")));
        assertThat(compare(all)).isGreaterThan(40_000);
    }

    @Test
    void theMigrationDropsTheRowsOfExactlyTheDerivedParameters() throws IOException {
        Set<String> derived = new TreeSet<>();
        for (String type : SearchParameterCatalog.types()) {
            for (SearchParam p : SearchParameterCatalog.params(type)) {
                if (SearchParameterCatalog.stored(type, p.name()).derived(p.name())) {
                    derived.add(SearchSql.table(p.type()) + " " + type + " " + p.name());
                }
            }
        }
        String sql;
        try (var in = StoredRowsTest.class.getResourceAsStream("/db/migration/V330__derived_parameters.sql")) {
            sql = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        Set<String> dropped = new TreeSet<>();
        Matcher table = Pattern.compile("DELETE FROM (idx_\\w+) WHERE \\(res_type, param\\) IN \\(VALUES ([^;]*)\\);")
                .matcher(sql);
        while (table.find()) {
            Matcher pair = Pattern.compile("\\('([\\w-]+)', '([\\w-]+)'\\)").matcher(table.group(2));
            while (pair.find()) {
                dropped.add(table.group(1) + " " + pair.group(1) + " " + pair.group(2));
            }
        }
        assertThat(dropped).containsExactlyElementsOf(derived);
    }

    /** Compares, per resource and derived parameter, its rows with those it restates; the rows compared. */
    private static long compare(List<Resource> resources) {
        ResourceIndexer full = new ResourceIndexer(FhirJson.context(), true, true);
        ResourceIndexer stored = new ResourceIndexer(FhirJson.context());
        long compared = 0;
        for (Resource r : resources) {
            String type = r.fhirType();
            if (!SearchParameterCatalog.supports(type)) {
                continue;
            }
            IndexRows rows = full.index(r);
            for (SearchParam p : SearchParameterCatalog.params(type)) {
                StoredRows s = SearchParameterCatalog.stored(type, p.name());
                if (!s.derived(p.name())) {
                    continue;
                }
                Map<String, Integer> own = counts(rows, List.of(p.name()), null);
                Map<String, Integer> restated = counts(rows, s.params(), s.targetType());
                assertThat(restated).as(type + "/" + r.getIdPart() + " " + p.name()).isEqualTo(own);
                compared += own.values().stream().mapToInt(Integer::intValue).sum();
            }
            IndexRows written = stored.index(r);
            assertThat(written.subject()).as("subject of " + type + "/" + r.getIdPart()).isEqualTo(rows.subject());
        }
        return compared;
    }

    /** The rows of {@code params} (pointing at {@code targetType} when set), without their parameter, counted. */
    private static Map<String, Integer> counts(IndexRows rows, List<String> params, String targetType) {
        List<String> out = new ArrayList<>();
        rows.strings.stream().filter(x -> params.contains(x.param()))
                .forEach(x -> out.add("s " + x.norm() + "|" + x.exact()));
        rows.tokens.stream().filter(x -> params.contains(x.param()))
                .forEach(x -> out.add("t " + x.system() + "|" + x.code() + "|" + x.text()));
        rows.references.stream().filter(x -> params.contains(x.param()))
                .filter(x -> targetType == null || targetType.equals(x.targetType()))
                .forEach(x -> out.add("r " + x.targetType() + "|" + x.targetId() + "|" + x.url() + "|" + x.idSystem()
                        + "|" + x.idValue()));
        rows.dates.stream().filter(x -> params.contains(x.param())).forEach(x -> out.add("d " + x.low() + "|" + x.high()));
        rows.numbers.stream().filter(x -> params.contains(x.param())).forEach(x -> out.add("n " + x.value()));
        rows.quantities.stream().filter(x -> params.contains(x.param()))
                .forEach(x -> out.add("q " + x.value() + "|" + x.system() + "|" + x.code() + "|" + x.canonValue()));
        rows.uris.stream().filter(x -> params.contains(x.param())).forEach(x -> out.add("u " + x.value()));
        rows.composites.stream().filter(x -> params.contains(x.param())).forEach(x -> out.add("c " + x.system1() + "|"
                + x.code1() + "|" + x.system() + "|" + x.code() + "|" + x.value() + "|" + x.low() + "|" + x.norm()));
        Map<String, Integer> counted = new HashMap<>();
        out.forEach(k -> counted.merge(k, 1, Integer::sum));
        return counted;
    }

    /** References in every form the indexer reads a target from, and Observations with components. */
    private static List<Resource> handMade() {
        List<Resource> out = new ArrayList<>();
        List<Reference> subjects = List.of(new Reference("Patient/sr-1"), new Reference("Group/sr-g"),
                new Reference("http://other.example/fhir/Patient/sr-2"), new Reference("Patient/sr-3/_history/2"),
                new Reference("urn:uuid:0b0c0a51-1b2c-4d5e-8f90-123456789abc"), new Reference("#p1"),
                new Reference("patient/sr-4"), new Reference("Location/sr-l"),
                new Reference().setType("Patient").setIdentifier(new Identifier().setSystem("urn:mrn").setValue("7")),
                new Reference("Patient/sr-5").setIdentifier(new Identifier().setSystem("urn:mrn").setValue("8")));
        int n = 0;
        for (Reference subject : subjects) {
            Observation o = new Observation();
            o.setId("sr-o" + n++);
            o.setStatus(Observation.ObservationStatus.FINAL).getCode().addCoding().setSystem("http://loinc.org")
                    .setCode("85354-9");
            o.setSubject(subject);
            o.setValue(new Quantity().setValue(new BigDecimal("1.5")).setSystem(Ucum.SYSTEM).setCode("mg"));
            for (String code : List.of("8480-6", "8462-4", "8480-6")) {
                var c = o.addComponent();
                c.getCode().addCoding().setSystem("http://loinc.org").setCode(code);
                c.setValue(new Quantity().setValue(new BigDecimal("120")).setSystem(Ucum.SYSTEM).setCode("mm[Hg]"));
            }
            o.addComponent().setValue(new StringType("no code"));
            o.addComponent().setCode(new CodeableConcept().setText("text only"));
            out.add(o);
            Encounter e = new Encounter();
            e.setId("sr-e" + n);
            e.setSubject(subject.copy());
            e.addParticipant().setIndividual(new Reference("Practitioner/sr-pr"));
            out.add(e);
        }
        return out;
    }
}
