package org.concilium.demo;

import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.concilium.store.FhirJson;
import org.hl7.fhir.exceptions.PathEngineException;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.fhirpath.FHIRPathUtilityClasses.FunctionDetails;
import org.hl7.fhir.r4.fhirpath.IHostApplicationServices;
import org.hl7.fhir.r4.fhirpath.TypeDetails;
import org.hl7.fhir.r4.hapi.ctx.HapiWorkerContext;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.utilities.fhirpath.FHIRPathConstantEvaluationMode;

/**
 * Test stand-in for the measure engine's FHIRPath context (demo/measures/README.md): the Patient is the focus,
 * the patient's other resources are {@code %Encounter}, {@code %Condition}, ... (as the engine names them) and the period is
 * {@code %periodStart} / {@code %periodEnd}. Uses the core R4 FHIRPathEngine because
 * HAPI's IFhirPath adapter does not pass constants through.
 */
final class PatientFhirPath {
    static final DateTimeType PERIOD_START = new DateTimeType("2024-01-01T00:00:00.000-05:00");
    static final DateTimeType PERIOD_END = new DateTimeType("2024-12-31T23:59:59.999-05:00");
    private static final FHIRPathEngine ENGINE = engine();

    /** One patient's record as the engine sees it. */
    record Subject(Patient patient, Map<String, List<Base>> variables) {}

    private final Map<String, ExpressionNode> parsed = new HashMap<>();

    List<Base> evaluate(Subject s, String expression) {
        ExpressionNode node = parsed.computeIfAbsent(expression, ENGINE::parse);
        synchronized (ENGINE) {
            return ENGINE.evaluate(s, s.patient(), s.patient(), s.patient(), node);
        }
    }

    boolean test(Subject s, String expression) {
        List<Base> r = evaluate(s, expression);
        return r.size() == 1 && r.get(0).isPrimitive() && "true".equals(r.get(0).primitiveValue());
    }

    /** Groups a transaction Bundle's resources by the Patient their subject references. */
    static List<Subject> subjects(List<Bundle> bundles) {
        List<Subject> out = new ArrayList<>();
        Map<String, Subject> byUrl = new HashMap<>();
        for (Bundle b : bundles) {
            for (Bundle.BundleEntryComponent e : b.getEntry()) {
                Resource r = e.getResource();
                if (r instanceof Patient p) {
                    Map<String, List<Base>> vars = new HashMap<>();
                    for (String name : List.of("Encounter", "Condition", "Observation", "Procedure",
                            "MedicationRequest", "Immunization")) {
                        vars.put(name, new ArrayList<>());
                    }
                    vars.put("periodStart", List.of(PERIOD_START));
                    vars.put("periodEnd", List.of(PERIOD_END));
                    Subject s = new Subject(p, vars);
                    byUrl.put(e.getFullUrl(), s);
                    out.add(s);
                    continue;
                }
                Reference subject = (Reference) r.getNamedProperty("subject").getValues().get(0);
                String var = r.fhirType();
                byUrl.get(subject.getReference()).variables().get(var).add(r);
            }
        }
        return out;
    }

    private static FHIRPathEngine engine() {
        FHIRPathEngine e = new FHIRPathEngine(new HapiWorkerContext(FhirJson.context(),
                new DefaultProfileValidationSupport(FhirJson.context())));
        e.setHostServices(new Variables());
        return e;
    }

    /** Resolves %name from the Subject passed as the evaluation's app context. */
    private static final class Variables implements IHostApplicationServices {
        @Override
        public List<Base> resolveConstant(FHIRPathEngine engine, Object app, String name,
                FHIRPathConstantEvaluationMode mode) {
            if (mode != FHIRPathConstantEvaluationMode.EXPLICIT) return List.of();
            List<Base> v = ((Subject) app).variables().get(name);
            if (v == null) throw new PathEngineException("unknown variable %" + name);
            return v;
        }

        @Override
        public TypeDetails resolveConstantType(FHIRPathEngine engine, Object app, String name,
                FHIRPathConstantEvaluationMode mode) {
            return null;
        }

        @Override
        public boolean log(String argument, List<Base> focus) {
            return false;
        }

        @Override
        public FunctionDetails resolveFunction(FHIRPathEngine engine, String functionName) {
            return null;
        }

        @Override
        public TypeDetails checkFunction(FHIRPathEngine engine, Object app, String functionName, TypeDetails focus,
                List<TypeDetails> parameters) {
            return null;
        }

        @Override
        public List<Base> executeFunction(FHIRPathEngine engine, Object app, List<Base> focus, String functionName,
                List<List<Base>> parameters) {
            return null;
        }

        @Override
        public Base resolveReference(FHIRPathEngine engine, Object app, String url, Base refContext) {
            return null;
        }

        @Override
        public boolean conformsToProfile(FHIRPathEngine engine, Object app, Base item, String url) {
            return false;
        }

        @Override
        public ValueSet resolveValueSet(FHIRPathEngine engine, Object app, String url) {
            return null;
        }

        @Override
        public boolean paramIsType(String name, int index) {
            return false;
        }
    }
}
