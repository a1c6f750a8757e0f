package org.concilium.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.concilium.terminology.bench.GeneratedHierarchy;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;

/**
 * Filter-defined ValueSets over a stored CodeSystem of {@value #SIZE} concepts
 * ({@link GeneratedHierarchy}: nested and {@code parent}-property edges mixed, second parents, deep
 * chains), expanded over HTTP with paging: each expansion must equal, code for code, what a simple
 * model computes from the generated parent lists (a concept is under A when A is among its
 * ancestors-or-self, found by walking up). At this size HAPI's own is-a walk took minutes; the
 * timing itself is the bench's ({@code bin/concilium bench terminology}), not asserted here.
 * Seen failing (2026-11-26) with {@code descendent-of} made to keep its own concept: the total differed by one.
 */
@QuarkusTest
class LargeCodeSystemTest extends FhirTestBase {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    static final int SIZE = 12_000;
    private static final GeneratedHierarchy DATA = new GeneratedHierarchy(SIZE, Long.getLong("terminology.seed", 7L));

    @Test
    void hierarchyFiltersOverALargeCodeSystemExpandExactly() {
        fhir().body(FHIR.newJsonParser().encodeResourceToString(DATA.codeSystem)).put("/CodeSystem/generated-hierarchy")
                .then().log().ifValidationFails().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        String a = GeneratedHierarchy.code(1);
        String b = biggestProperSubtreeUnder(a);
        assertThat(under(a).size()).as("the anchor's subtree is large").isGreaterThan(1_000);

        assertExpands(GeneratedHierarchy.filtered("large-is-a", "concept", ValueSet.FilterOperator.ISA, a),
                c -> isUnder(c, a));
        assertExpands(GeneratedHierarchy.filtered("large-descendent-of", "concept", ValueSet.FilterOperator.DESCENDENTOF, a),
                c -> !c.equals(a) && isUnder(c, a));
        assertExpands(GeneratedHierarchy.filtered("large-is-not-a", "concept", ValueSet.FilterOperator.ISNOTA, a),
                c -> !isUnder(c, a));
        ValueSet redUnderA = GeneratedHierarchy.filtered("large-red-is-a", "concept", ValueSet.FilterOperator.ISA, a);
        redUnderA.getCompose().getIncludeFirstRep().addFilter().setProperty("color").setOp(ValueSet.FilterOperator.EQUAL)
                .setValue("red");
        assertExpands(redUnderA, c -> isUnder(c, a) && DATA.color.get(c).equals("red"));
        ValueSet aButNotB = GeneratedHierarchy.filtered("large-a-not-b", "concept", ValueSet.FilterOperator.ISA, a);
        aButNotB.getCompose().addExclude().setSystem(GeneratedHierarchy.SYSTEM).addFilter().setProperty("concept")
                .setOp(ValueSet.FilterOperator.ISA).setValue(b);
        assertExpands(aButNotB, c -> isUnder(c, a) && !isUnder(c, b));
        ValueSet regexUnderA = GeneratedHierarchy.filtered("large-regex-is-a", "concept", ValueSet.FilterOperator.ISA, a);
        regexUnderA.getCompose().getIncludeFirstRep().addFilter().setProperty("code").setOp(ValueSet.FilterOperator.REGEX)
                .setValue("k[0-9]*7");
        assertExpands(regexUnderA, c -> isUnder(c, a) && c.endsWith("7"));
    }

    /** Stores the ValueSet, expands it page by page, and compares with every generated code the model accepts. */
    private void assertExpands(ValueSet vs, Predicate<String> model) {
        fhir().body(FHIR.newJsonParser().encodeResourceToString(vs)).put("/ValueSet/" + vs.getIdElement().getIdPart())
                .then().log().ifValidationFails().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        Set<String> expected = DATA.codes().stream().filter(model).collect(Collectors.toCollection(TreeSet::new));
        Set<String> got = new TreeSet<>();
        int total;
        int offset = 0;
        do {
            String body = fhir().urlEncodingEnabled(false).get("/ValueSet/$expand?url=" + vs.getUrl() + "&offset=" + offset
                    + "&count=10000").then().log().ifValidationFails().statusCode(200).extract().asString();
            ValueSet page = FHIR.newJsonParser().parseResource(ValueSet.class, body);
            total = page.getExpansion().getTotal();
            page.getExpansion().getContains().forEach(c -> {
                assertThat(c.getSystem()).isEqualTo(GeneratedHierarchy.SYSTEM);
                assertThat(got.add(c.getCode())).as("each code once: " + c.getCode()).isTrue();
            });
            offset += 10000;
        } while (offset < total);
        assertThat(total).as(vs.getId() + ": total").isEqualTo(expected.size());
        assertThat(got).as(vs.getId()).isEqualTo(expected);
    }

    /** The model: is {@code ancestor} the code itself or reachable by walking up the generated parents? */
    private static boolean isUnder(String code, String ancestor) {
        Deque<String> todo = new ArrayDeque<>(List.of(code));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String c = todo.pop();
            if (c.equals(ancestor)) {
                return true;
            }
            if (seen.add(c)) {
                todo.addAll(DATA.parents.get(c));
            }
        }
        return false;
    }

    private static Set<String> under(String ancestor) {
        return DATA.codes().stream().filter(c -> isUnder(c, ancestor)).collect(Collectors.toSet());
    }

    private static String biggestProperSubtreeUnder(String a) {
        String best = null;
        int size = 0;
        for (String c : DATA.codes()) {
            if (!c.equals(a) && DATA.parents.get(c).contains(a)) {
                int n = under(c).size();
                if (n > size) {
                    best = c;
                    size = n;
                }
            }
        }
        return best;
    }
}
