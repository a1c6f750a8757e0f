package org.concilium.demo;

import static org.concilium.demo.DemoCodes.concept;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * One synthetic patient's record: Patient, 2023–2024 office visits, problem-list Conditions, vital-sign and
 * laboratory Observations and Procedures. Prevalences follow US adult primary care roughly (hypertension rises
 * with age from ~10% to ~60%, diabetes from ~4% to ~25%). Everything is drawn from the given random source only,
 * so a fixed seed gives identical resources.
 */
final class PatientGenerator {
    /** Fixed offset so that output never depends on the JVM's time zone. */
    private static final String OFFSET = "-05:00";
    static final int MEASUREMENT_YEAR = 2024;

    private static final String[] FEMALE_NAMES = {"Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Susan",
        "Jessica", "Sarah", "Karen", "Maria", "Nancy", "Lisa", "Ana", "Mei", "Aisha", "Emily"};
    private static final String[] MALE_NAMES = {"James", "Robert", "John", "Michael", "David", "William", "Richard",
        "Joseph", "Thomas", "Carlos", "Daniel", "Wei", "Omar", "Kevin", "Jose", "Andrew"};
    private static final String[] FAMILY_NAMES = {"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia",
        "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Nguyen", "Kim", "Patel", "Wilson",
        "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Lee", "Walker", "Young"};
    /** OMB race categories and their share; the remainder has no race recorded. */
    private static final String[][] RACES = {{"2106-3", "White"}, {"2054-5", "Black or African American"},
        {"2028-9", "Asian"}, {"1002-5", "American Indian or Alaska Native"},
        {"2076-8", "Native Hawaiian or Other Pacific Islander"}};
    private static final double[] RACE_SHARE = {0.62, 0.17, 0.08, 0.02, 0.01};

    /** A resource with the urn:uuid it is posted under. */
    record Entry(String fullUrl, Resource resource) {}

    private final SplittableRandom rnd;
    private final SiteCaseMix mix;
    private final List<Entry> out = new ArrayList<>();
    private String patientUrl;
    private double a1cLevel;

    private PatientGenerator(SplittableRandom rnd, SiteCaseMix mix) {
        this.rnd = rnd;
        this.mix = mix;
    }

    /** The entries of one patient, Patient first. */
    static List<Entry> generate(SplittableRandom rnd, SiteCaseMix mix, int siteIndex, int patientNumber) {
        PatientGenerator g = new PatientGenerator(rnd, mix);
        g.build(siteIndex, patientNumber);
        return g.out;
    }

    private void build(int siteIndex, int patientNumber) {
        int age = (int) Math.round(Math.max(18, Math.min(90, mix.meanAge() + mix.ageSd() * rnd.nextGaussian())));
        boolean female = rnd.nextDouble() < mix.femaleShare();
        // Born in (2024 - age) so that the age on 2024-12-31 is exactly `age`.
        LocalDate birth = LocalDate.of(MEASUREMENT_YEAR - age, 1, 1).plusDays(rnd.nextInt(365));
        patientUrl = add(patient(siteIndex, patientNumber, female, birth));

        int band = age < 45 ? 0 : age < 65 ? 1 : 2;
        boolean hypertension = rnd.nextDouble() < new double[] {0.10, 0.38, 0.62}[band];
        boolean diabetes = rnd.nextDouble() < new double[] {0.04, 0.14, 0.24}[band] * (hypertension ? 1.3 : 1.0);
        boolean esrd = (hypertension || diabetes) && rnd.nextDouble() < 0.03;

        if (hypertension) add(condition(DemoCodes.HYPERTENSION, "Essential hypertension", onset(birth)));
        if (diabetes) add(condition(DemoCodes.DIABETES, "Diabetes mellitus", onset(birth)));
        if (esrd) add(condition(DemoCodes.END_STAGE_RENAL_DISEASE, "End-stage renal disease", onset(birth)));

        if (rnd.nextDouble() < 0.4) visit(randomDay(MEASUREMENT_YEAR - 1), false, false, false, 0, 0);
        double expected = mix.visitRate() + (hypertension ? 1.2 : 0) + (diabetes ? 1.5 : 0) + (age >= 65 ? 0.5 : 0);
        int visits = poisson(expected);
        // Each patient's own blood pressure and HbA1c level, around which single readings scatter.
        double systolic = hypertension ? 134 + mix.systolicShift() + 12 * rnd.nextGaussian() : 118 + 9 * rnd.nextGaussian();
        double diastolic = hypertension ? 83 + 7 * rnd.nextGaussian() : 75 + 6 * rnd.nextGaussian();
        a1cLevel = diabetes ? 7.4 + 1.1 * rnd.nextGaussian() : 5.4 + 0.3 * rnd.nextGaussian();
        List<LocalDate> days = new ArrayList<>();
        for (int v = 0; v < visits; v++) days.add(randomDay(MEASUREMENT_YEAR));
        days.sort(null);
        for (LocalDate day : days) visit(day, hypertension, diabetes, esrd, systolic, diastolic);
    }

    private void visit(LocalDate day, boolean hypertension, boolean diabetes, boolean esrd, double sys, double dia) {
        String start = dateTime(day, 8 + rnd.nextInt(9), rnd.nextInt(4) * 15);
        boolean cancelled = rnd.nextDouble() < mix.cancelRate();
        String encounterUrl = add(encounter(start, cancelled));
        if (cancelled || day.getYear() != MEASUREMENT_YEAR) return;
        if (rnd.nextDouble() < (hypertension ? 0.92 : 0.6)) {
            add(bloodPressure(encounterUrl, start, sys + 8 * rnd.nextGaussian(), dia + 5 * rnd.nextGaussian()));
        }
        double a1cChance = diabetes ? 0.55 : 0.04;
        if (rnd.nextDouble() < a1cChance) add(hba1c(encounterUrl, start));
        if (rnd.nextDouble() < mix.screeningRate()) {
            add(procedure(encounterUrl, start, DemoCodes.DEPRESSION_SCREENING, "Depression screening"));
        }
        if (esrd && rnd.nextDouble() < 0.7) add(procedure(encounterUrl, start, DemoCodes.HEMODIALYSIS, "Hemodialysis"));
    }

    private Patient patient(int siteIndex, int number, boolean female, LocalDate birth) {
        Patient p = new Patient();
        p.addIdentifier().setSystem("urn:concilium:demo:site-" + siteIndex + ":mrn")
                .setValue(String.format("S%d-%06d", siteIndex, number));
        String[] given = female ? FEMALE_NAMES : MALE_NAMES;
        p.addName().setFamily(pick(FAMILY_NAMES)).addGiven(pick(given));
        p.setGender(female ? AdministrativeGender.FEMALE : AdministrativeGender.MALE);
        p.setBirthDateElement(new DateType(birth.toString()));
        double r = rnd.nextDouble();
        for (int i = 0; i < RACES.length; i++) {
            if (r < RACE_SHARE[i]) {
                Extension race = p.addExtension().setUrl(DemoCodes.US_CORE_RACE);
                race.addExtension("ombCategory", new Coding(DemoCodes.OMB_RACE_ETHNICITY, RACES[i][0], RACES[i][1]));
                race.addExtension("text", new StringType(RACES[i][1]));
                break;
            }
            r -= RACE_SHARE[i];
        }
        boolean hispanic = rnd.nextDouble() < 0.18;
        Extension eth = p.addExtension().setUrl(DemoCodes.US_CORE_ETHNICITY);
        String display = hispanic ? "Hispanic or Latino" : "Not Hispanic or Latino";
        eth.addExtension("ombCategory", new Coding(DemoCodes.OMB_RACE_ETHNICITY, hispanic ? "2135-2" : "2186-5", display));
        eth.addExtension("text", new StringType(display));
        return p;
    }

    private Encounter encounter(String start, boolean cancelled) {
        Encounter e = new Encounter();
        e.setStatus(cancelled ? Encounter.EncounterStatus.CANCELLED : Encounter.EncounterStatus.FINISHED);
        e.setClass_(new Coding(DemoCodes.ACT_CODE, "AMB", "ambulatory"));
        double t = rnd.nextDouble();
        if (t < 0.55) {
            e.addType(concept(DemoCodes.CPT, DemoCodes.OFFICE_VISIT_ESTABLISHED_LOW, "Office visit, established patient, low complexity"));
        } else if (t < 0.85) {
            e.addType(concept(DemoCodes.CPT, DemoCodes.OFFICE_VISIT_ESTABLISHED_MODERATE, "Office visit, established patient, moderate complexity"));
        } else {
            e.addType(concept(DemoCodes.SNOMED, DemoCodes.CHECK_UP, "Encounter for check up"));
        }
        e.setSubject(new Reference(patientUrl));
        Period period = new Period().setStartElement(new DateTimeType(start));
        if (!cancelled) period.setEndElement(new DateTimeType(plusMinutes(start, 20)));
        e.setPeriod(period);
        return e;
    }

    private Condition condition(String code, String display, String onset) {
        Condition c = new Condition();
        c.setClinicalStatus(new CodeableConcept(new Coding(DemoCodes.CONDITION_CLINICAL, "active", "Active")));
        c.setVerificationStatus(new CodeableConcept(new Coding(DemoCodes.CONDITION_VERIFICATION, "confirmed", "Confirmed")));
        c.addCategory(new CodeableConcept(new Coding(DemoCodes.CONDITION_CATEGORY, "problem-list-item", "Problem List Item")));
        c.setCode(concept(DemoCodes.SNOMED, code, display));
        c.setSubject(new Reference(patientUrl));
        c.setOnset(new DateTimeType(onset));
        c.setRecordedDateElement(new DateTimeType(onset));
        return c;
    }

    private Observation bloodPressure(String encounterUrl, String when, double systolic, double diastolic) {
        Observation o = observation(encounterUrl, when, "vital-signs", "Vital Signs",
                DemoCodes.BLOOD_PRESSURE_PANEL, "Blood pressure panel with all children optional");
        long sys = Math.round(Math.max(85, Math.min(220, systolic)));
        long dia = Math.round(Math.max(45, Math.min(130, Math.min(diastolic, sys - 20))));
        o.addComponent().setCode(concept(DemoCodes.LOINC, DemoCodes.SYSTOLIC, "Systolic blood pressure"))
                .setValue(mmHg(sys));
        o.addComponent().setCode(concept(DemoCodes.LOINC, DemoCodes.DIASTOLIC, "Diastolic blood pressure"))
                .setValue(mmHg(dia));
        return o;
    }

    private Observation hba1c(String encounterUrl, String when) {
        Observation o = observation(encounterUrl, when, "laboratory", "Laboratory",
                DemoCodes.HBA1C, "Hemoglobin A1c/Hemoglobin.total in Blood");
        double v = Math.max(4.2, Math.min(14.5, a1cLevel + 0.5 * rnd.nextGaussian()));
        o.setValue(new Quantity().setValue(Math.round(v * 10) / 10.0).setUnit("%")
                .setSystem(DemoCodes.UCUM).setCode("%"));
        return o;
    }

    private Observation observation(String encounterUrl, String when, String category, String categoryDisplay,
            String loinc, String display) {
        Observation o = new Observation();
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.addCategory(new CodeableConcept(new Coding(DemoCodes.OBSERVATION_CATEGORY, category, categoryDisplay)));
        o.setCode(concept(DemoCodes.LOINC, loinc, display));
        o.setSubject(new Reference(patientUrl));
        o.setEncounter(new Reference(encounterUrl));
        o.setEffective(new DateTimeType(when));
        return o;
    }

    private Procedure procedure(String encounterUrl, String when, String code, String display) {
        Procedure p = new Procedure();
        p.setStatus(Procedure.ProcedureStatus.COMPLETED);
        p.setCode(concept(DemoCodes.SNOMED, code, display));
        p.setSubject(new Reference(patientUrl));
        p.setEncounter(new Reference(encounterUrl));
        p.setPerformed(new DateTimeType(when));
        return p;
    }

    private static Quantity mmHg(long value) {
        return new Quantity().setValue(value).setUnit("mm[Hg]").setSystem(DemoCodes.UCUM).setCode("mm[Hg]");
    }

    /** Diagnosed between age 18 and 2024 (mostly years before the measurement year). */
    private String onset(LocalDate birth) {
        int from = Math.max(birth.getYear() + 18, MEASUREMENT_YEAR - 25);
        int year = from + rnd.nextInt(Math.max(1, MEASUREMENT_YEAR - from + 1));
        return dateTime(randomDay(year), 9 + rnd.nextInt(8), 0);
    }

    private LocalDate randomDay(int year) {
        return LocalDate.of(year, 1, 1).plusDays(rnd.nextInt(LocalDate.of(year, 1, 1).lengthOfYear()));
    }

    private static String dateTime(LocalDate day, int hour, int minute) {
        return String.format("%sT%02d:%02d:00%s", day, hour, minute, OFFSET);
    }

    private static String plusMinutes(String start, int minutes) {
        int hour = Integer.parseInt(start.substring(11, 13));
        int minute = Integer.parseInt(start.substring(14, 16)) + minutes;
        return String.format("%sT%02d:%02d:00%s", start.substring(0, 10), hour + minute / 60, minute % 60, OFFSET);
    }

    /** Knuth's method; fine for the small means used here. */
    private int poisson(double mean) {
        double limit = Math.exp(-mean);
        double p = rnd.nextDouble();
        int k = 0;
        while (p > limit) {
            k++;
            p *= rnd.nextDouble();
        }
        return k;
    }

    private String pick(String[] values) {
        return values[rnd.nextInt(values.length)];
    }

    private String add(Resource r) {
        String url = "urn:uuid:" + new UUID((rnd.nextLong() & ~0xF000L) | 0x4000L,
                (rnd.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L);
        out.add(new Entry(url, r));
        return url;
    }
}
