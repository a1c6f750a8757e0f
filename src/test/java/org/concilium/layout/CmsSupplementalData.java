package org.concilium.layout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * A generated eCQM with EXM124's supplemental-data shape, so the layout of real eCQM SDEs is tested without
 * ../shared: four SDEs without id, keyed by {@code code.text} ({@code sde-race}) while reports name them by
 * their CQL definition ({@code SDE Race}), the CMS SupplementalDataElements definitions (Codings, lists of
 * Codings, Payer tuples) and their VSAC value sets as enumerated composes (no stored expansion); the Payer
 * value set has {@link #PAYER_CODES} codes, more than a layout takes.
 */
final class CmsSupplementalData {
    static final String URL = "http://concilium.org/fhir/Measure/sde-shape";
    static final String LIBRARY = "http://concilium.org/fhir/Library/SdeShape";
    static final String RACE_CS = "urn:oid:2.16.840.1.113883.6.238";
    static final String SEX_CS = "http://hl7.org/fhir/v3/AdministrativeGender";
    static final String SOP_CS = "urn:oid:2.16.840.1.113883.3.221.5";
    static final int PAYER_CODES = 150;
    static final String[] RACES = {"1002-5", "2028-9", "2054-5", "2076-8", "2106-3"};

    private CmsSupplementalData() {}

    static final String CQL = """
            library SdeShape version '1.0.0'
            using FHIR version '4.0.1'
            include FHIRHelpers version '4.0.1' called FHIRHelpers
            valueset "Race": 'http://cts.nlm.nih.gov/fhir/ValueSet/2.16.840.1.114222.4.11.836'
            valueset "Ethnicity": 'http://cts.nlm.nih.gov/fhir/ValueSet/2.16.840.1.114222.4.11.837'
            valueset "Payer": 'http://cts.nlm.nih.gov/fhir/ValueSet/2.16.840.1.114222.4.11.3591'
            context Patient
            define "Initial Population": Patient.gender = 'female' or Patient.gender = 'male' or Patient.gender is null
            define "SDE Ethnicity":
              (flatten (Patient.extension Extension
                  where Extension.url = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity'
                  return Extension.extension)) E
                where E.url = 'ombCategory' or E.url = 'detailed'
                return E.value as Coding
            define "SDE Payer":
              [Coverage: type in "Payer"] Payer return { code: Payer.type, period: Payer.period }
            define "SDE Race":
              (flatten (Patient.extension Extension
                  where Extension.url = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race'
                  return Extension.extension)) E
                where E.url = 'ombCategory' or E.url = 'detailed'
                return E.value as Coding
            define "SDE Sex":
              case
                when Patient.gender = 'male' then Code { code: 'M', system: 'http://hl7.org/fhir/v3/AdministrativeGender', display: 'Male' }
                when Patient.gender = 'female' then Code { code: 'F', system: 'http://hl7.org/fhir/v3/AdministrativeGender', display: 'Female' }
                else null
              end
            """;

    static Measure measure() {
        Measure m = TestMeasures.base("sde-shape", "cohort");
        m.setUrl(URL);
        m.getLibrary().clear();
        m.addLibrary(LIBRARY);
        TestMeasures.pop(m.addGroup(), "initial-population", "Initial Population");
        for (String name : List.of("Ethnicity", "Payer", "Race", "Sex")) {
            m.addSupplementalData().setCode(new CodeableConcept().setText("sde-" + name.toLowerCase()))
                    .setCriteria(new Expression().setLanguage("text/cql-identifier").setExpression("SDE " + name));
        }
        return m;
    }

    static Library library() {
        Library l = new Library();
        l.setId("SdeShape");
        l.setUrl(LIBRARY);
        l.setName("SdeShape");
        l.setVersion("1.0.0");
        l.setStatus(Enumerations.PublicationStatus.ACTIVE);
        l.addContent().setContentType("text/cql").setData(CQL.getBytes(StandardCharsets.UTF_8));
        return l;
    }

    static List<ValueSet> valueSets() {
        ValueSet sex = valueSet("2.16.840.1.113762.1.4.1", SEX_CS, "M", "F");
        ValueSet race = valueSet("2.16.840.1.114222.4.11.836", RACE_CS, RACES);
        ValueSet ethnicity = valueSet("2.16.840.1.114222.4.11.837", RACE_CS, "2135-2", "2186-5");
        String[] payers = new String[PAYER_CODES];
        for (int i = 0; i < PAYER_CODES; i++) payers[i] = String.valueOf(100 + i);
        return List.of(sex, race, ethnicity, valueSet("2.16.840.1.114222.4.11.3591", SOP_CS, payers));
    }

    private static ValueSet valueSet(String oid, String system, String... codes) {
        ValueSet vs = new ValueSet();
        vs.setId(oid);
        vs.setUrl("http://cts.nlm.nih.gov/fhir/ValueSet/" + oid);
        vs.setStatus(Enumerations.PublicationStatus.ACTIVE);
        ValueSet.ConceptSetComponent inc = vs.getCompose().addInclude().setSystem(system);
        for (String c : codes) inc.addConcept().setCode(c);
        return vs;
    }

    /**
     * {@code n} patients of one site: both sexes and a missing one, one to two races (a detailed code outside
     * the value set among them), an ethnicity for most, a Coverage for some.
     */
    static List<Resource> site(int site, int n) {
        List<Resource> out = new ArrayList<>();
        Enumerations.AdministrativeGender[] sexes = {Enumerations.AdministrativeGender.FEMALE,
                Enumerations.AdministrativeGender.MALE, null};
        for (int i = 0; i < n; i++) {
            String id = "s" + site + "p" + i;
            Patient p = new Patient();
            p.setId(id);
            Enumerations.AdministrativeGender sex = sexes[(i + site) % 3];
            if (sex != null) p.setGender(sex);
            Extension race = p.addExtension().setUrl("http://hl7.org/fhir/us/core/StructureDefinition/us-core-race");
            race.addExtension("ombCategory", new Coding(RACE_CS, RACES[(i * 3 + site) % RACES.length], null));
            if (i % 4 == 1) race.addExtension("detailed", new Coding(RACE_CS, "2108-9", null)); // not in the value set
            if (i % 5 != 0) {
                p.addExtension().setUrl("http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity")
                        .addExtension("ombCategory", new Coding(RACE_CS, i % 2 == 0 ? "2135-2" : "2186-5", null));
            }
            out.add(p);
            if (i % 3 == 0) {
                Coverage c = new Coverage();
                c.setId(id + "c");
                c.setStatus(Coverage.CoverageStatus.ACTIVE);
                c.setBeneficiary(new Reference("Patient/" + id));
                c.setType(new CodeableConcept(new Coding(SOP_CS, String.valueOf(100 + i % 7), null)));
                out.add(c);
            }
        }
        return out;
    }
}
