package org.concilium.measure;

import static org.concilium.measure.MeasureEvaluationException.broken;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.concilium.measure.MeasureModel.Criteria;
import org.concilium.measure.MeasureModel.Group;
import org.concilium.measure.MeasureModel.Language;
import org.concilium.measure.MeasureModel.Population;
import org.concilium.measure.MeasureModel.PopulationType;
import org.concilium.measure.MeasureModel.Stratifier;
import org.concilium.measure.SubjectOutcome.GroupOutcome;
import org.concilium.measure.SubjectOutcome.StratifierOutcome;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;

/**
 * Evaluates one patient at a time on one thread: runs every criterion of the Measure (CQL through
 * its {@link CqlSession}, FHIRPath through its {@link FhirPathSession}), applies the CQF set rules,
 * and computes observations and strata. Not thread-safe; one instance per worker thread.
 */
final class SubjectEvaluator {

    private final MeasureModel model;
    private final CqlSession cql;
    private final FhirPathSession fhirPath;
    private final PatientIndex index;
    private final MeasurementPeriod period;
    private final List<String> populationExpressions;
    private final List<String> otherExpressions;
    private final Set<String> functions;

    SubjectEvaluator(MeasureModel model, CqlSession cql, FhirPathSession fhirPath, PatientIndex index,
            MeasurementPeriod period, Set<String> functions, Set<String> undefined) {
        this.model = model;
        this.cql = cql;
        this.fhirPath = fhirPath;
        this.index = index;
        this.period = period;
        this.functions = functions;
        Set<String> pops = new LinkedHashSet<>();
        Set<String> others = new LinkedHashSet<>();
        for (Group g : model.groups()) {
            for (Population p : g.populations()) {
                if (p.criteria().language() == Language.CQL && !functions.contains(p.criteria().expression())
                        && !undefined.contains(p.criteria().expression())) {
                    pops.add(p.criteria().expression());
                }
            }
            for (Stratifier s : g.stratifiers()) {
                for (var c : s.components()) {
                    if (c.criteria().language() == Language.CQL && !functions.contains(c.criteria().expression())) {
                        others.add(c.criteria().expression());
                    }
                }
            }
        }
        for (var sde : model.supplementalData()) {
            if (sde.criteria().language() == Language.CQL) {
                others.add(sde.criteria().expression());
            }
        }
        others.removeAll(pops);
        this.populationExpressions = List.copyOf(pops);
        this.otherExpressions = List.copyOf(others);
    }

    SubjectOutcome evaluate(Resource patient) {
        String pid = patient.getIdElement().getIdPart();
        FhirPathSession.Scope scope = new FhirPathSession.Scope(patient, pid, index, period);
        Map<String, Object> values = new HashMap<>();
        Map<String, String> failures = new HashMap<>();
        runCql(pid, values, failures);

        List<GroupOutcome> groups = new ArrayList<>();
        boolean inAnyIp = false;
        for (Group g : model.groups()) {
            List<Map<String, Object>> members = new ArrayList<>();
            for (Population p : g.populations()) {
                if (p.type() == PopulationType.MEASURE_OBSERVATION) {
                    members.add(new LinkedHashMap<>());
                    continue;
                }
                Object value = value(p.criteria(), values, scope, patient);
                members.add(members(g, p, value, patient));
            }
            PopulationSets.applySetRules(g, members);
            for (Population p : g.populations()) {
                inAnyIp |= p.type() == PopulationType.INITIAL_POPULATION && !members.get(p.index()).isEmpty();
            }
            Map<Integer, Map<String, Double>> observations = observe(g, members, scope, patient);
            List<StratifierOutcome> strata = new ArrayList<>();
            for (Stratifier s : g.stratifiers()) {
                strata.add(stratify(g, s, members, values, failures, scope, patient));
            }
            List<Set<String>> keys = new ArrayList<>(members.size());
            for (int i = 0; i < members.size(); i++) {
                keys.add(Set.copyOf(members.get(i).keySet()));
            }
            // measure-observation populations report the observed members
            for (var e : observations.entrySet()) {
                keys.set(e.getKey(), Set.copyOf(e.getValue().keySet()));
            }
            groups.add(new GroupOutcome(keys, observations, strata));
        }

        List<List<StratumValue>> sdes = new ArrayList<>();
        for (var sde : model.supplementalData()) {
            if (!inAnyIp || failures.containsKey(sde.criteria().expression())) {
                sdes.add(List.of());
                continue;
            }
            try {
                Object v = value(sde.criteria(), values, scope, patient);
                sdes.add(v == null ? List.of() : StratumValue.of(v));
            } catch (RuntimeException e) {
                sdes.add(List.of());
            }
        }
        return new SubjectOutcome(pid, groups, sdes);
    }

    /** All CQL expressions in one engine call; on failure, isolate which one failed. */
    private void runCql(String pid, Map<String, Object> values, Map<String, String> failures) {
        if (cql == null || (populationExpressions.isEmpty() && otherExpressions.isEmpty())) {
            return;
        }
        List<String> all = new ArrayList<>(populationExpressions);
        all.addAll(otherExpressions);
        try {
            values.putAll(cql.evaluate(pid, all));
            return;
        } catch (RuntimeException e) {
            // fall through: find the culprit
        }
        for (String expression : populationExpressions) {
            try {
                values.putAll(cql.evaluate(pid, List.of(expression)));
            } catch (RuntimeException e) {
                throw populationFailure(expression, e);
            }
        }
        for (String expression : otherExpressions) {
            try {
                values.putAll(cql.evaluate(pid, List.of(expression)));
            } catch (RuntimeException e) {
                failures.put(expression, message(e));
            }
        }
    }

    private MeasureEvaluationException populationFailure(String expression, RuntimeException e) {
        MeasureEvaluationException known = find(e);
        if (known != null) {
            return known;
        }
        String location = "Measure.library";
        for (Group g : model.groups()) {
            for (Population p : g.populations()) {
                if (p.criteria().expression().equals(expression)) {
                    location = p.criteria().location();
                }
            }
        }
        return broken(location, "criteria '" + expression + "' failed: " + message(e), e);
    }

    static MeasureEvaluationException find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MeasureEvaluationException m) {
                return m;
            }
        }
        return null;
    }

    static String message(Throwable e) {
        MeasureEvaluationException known = find(e);
        if (known != null) {
            return known.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() != null ? root.getMessage() : e.getMessage();
        return CqlLibraries.firstLine(m == null ? root.getClass().getSimpleName() : m);
    }

    private Object value(Criteria c, Map<String, Object> cqlValues, FhirPathSession.Scope scope, Resource focus) {
        if (c.language() == Language.CQL) {
            return cqlValues.get(c.expression());
        }
        return fhirPath.evaluate(scope, focus, c.expression(), c.location());
    }

    private Map<String, Object> members(Group g, Population p, Object value, Resource patient) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (g.booleanBasis()) {
            if (p.criteria().language() == Language.CQL && value != null && !(value instanceof Boolean)) {
                throw broken(p.criteria().location(), "criteria '" + p.criteria().expression()
                        + "' must return a Boolean for a boolean-basis group");
            }
            if (truthy(value)) {
                out.put("Patient/" + patient.getIdElement().getIdPart(), patient);
            }
            return out;
        }
        if (value instanceof Boolean) {
            throw broken(p.criteria().location(), "criteria '" + p.criteria().expression()
                    + "' returns a Boolean but the group's population basis is " + g.basis());
        }
        if (value instanceof Iterable<?> it && !(value instanceof IBaseResource)) {
            for (Object o : it) {
                addMember(out, o);
            }
        } else if (value != null) {
            addMember(out, value);
        }
        return out;
    }

    private static void addMember(Map<String, Object> out, Object o) {
        if (o == null) {
            return;
        }
        if (o instanceof IBaseResource r) {
            out.put(r.fhirType() + "/" + r.getIdElement().getIdPart(), r);
        } else {
            out.put("value:" + StratumValue.single(o).key(), o); // never equal to a resource's Type/id
        }
    }

    static boolean truthy(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof List<?> list) {
            if (list.size() == 1 && list.get(0) instanceof BooleanType b) {
                return Boolean.TRUE.equals(b.getValue());
            }
            return !list.isEmpty() && !(list.size() == 1 && list.get(0) instanceof BooleanType);
        }
        return false;
    }

    private Map<Integer, Map<String, Double>> observe(Group g, List<Map<String, Object>> m, FhirPathSession.Scope scope,
            Resource patient) {
        Map<Integer, Map<String, Double>> out = new HashMap<>();
        for (Population mo : g.populations()) {
            if (mo.type() != PopulationType.MEASURE_OBSERVATION) {
                continue;
            }
            Map<String, Double> values = new LinkedHashMap<>();
            for (var e : PopulationSets.observed(g, mo, m).entrySet()) {
                Object arg = g.booleanBasis() ? null : e.getValue();
                Object result;
                try {
                    result = apply(mo.criteria(), arg, scope, patient);
                } catch (MeasureEvaluationException ex) {
                    throw ex;
                } catch (RuntimeException ex) {
                    throw broken(mo.criteria().location(), "measure observation '" + mo.criteria().expression()
                            + "' failed: " + message(ex), ex);
                }
                Double d = number(result);
                if (d != null) {
                    values.put(e.getKey(), d);
                }
            }
            out.put(mo.index(), values);
        }
        return out;
    }

    /** A function criterion applied to one member (or to the patient when {@code arg} is null). */
    private Object apply(Criteria c, Object arg, FhirPathSession.Scope scope, Resource patient) {
        if (c.language() == Language.CQL) {
            return cql.call(c.expression(), arg);
        }
        IBase focus = arg instanceof IBase b ? b : patient;
        return fhirPath.evaluate(scope, focus, c.expression(), c.location());
    }

    static Double number(Object v) {
        if (v instanceof List<?> list) {
            v = list.isEmpty() ? null : list.get(0);
        }
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return n instanceof BigDecimal bd ? bd.doubleValue() : n.doubleValue();
        }
        if (v instanceof org.opencds.cqf.cql.engine.runtime.Quantity q) {
            return q.getValue() == null ? null : q.getValue().doubleValue();
        }
        if (v instanceof Quantity q) {
            return q.hasValue() ? q.getValue().doubleValue() : null;
        }
        if (v instanceof IPrimitiveType<?> p && p.getValue() instanceof Number n) {
            return n.doubleValue();
        }
        return null;
    }

    private StratifierOutcome stratify(Group g, Stratifier s, List<Map<String, Object>> m, Map<String, Object> values,
            Map<String, String> failures, FhirPathSession.Scope scope, Resource patient) {
        try {
            Map<String, Object> members = new LinkedHashMap<>();
            m.forEach(members::putAll);
            boolean perMember = false;
            List<List<StratumValue>> patientLevel = new ArrayList<>();
            for (var c : s.components()) {
                String expression = c.criteria().expression();
                if (failures.containsKey(expression)) {
                    return StratifierOutcome.failed(failures.get(expression));
                }
                boolean function = c.criteria().language() == Language.CQL ? functions.contains(expression) : !g.booleanBasis();
                perMember |= function;
                patientLevel.add(function ? null : StratumValue.of(value(c.criteria(), values, scope, patient)));
            }
            if (!perMember) {
                return new StratifierOutcome(cartesian(patientLevel), null, null);
            }
            Map<String, List<List<StratumValue>>> byMember = new HashMap<>();
            for (var e : members.entrySet()) {
                List<List<StratumValue>> components = new ArrayList<>();
                for (int i = 0; i < s.components().size(); i++) {
                    var c = s.components().get(i);
                    components.add(patientLevel.get(i) != null ? patientLevel.get(i)
                            : StratumValue.of(apply(c.criteria(), e.getValue(), scope, patient)));
                }
                byMember.put(e.getKey(), cartesian(components));
            }
            return new StratifierOutcome(null, byMember, null);
        } catch (RuntimeException e) {
            return StratifierOutcome.failed(message(e));
        }
    }

    private static List<List<StratumValue>> cartesian(List<List<StratumValue>> components) {
        List<List<StratumValue>> out = new ArrayList<>();
        out.add(List.of());
        for (List<StratumValue> values : components) {
            List<List<StratumValue>> next = new ArrayList<>();
            for (List<StratumValue> prefix : out) {
                for (StratumValue v : values) {
                    List<StratumValue> l = new ArrayList<>(prefix);
                    l.add(v);
                    next.add(List.copyOf(l));
                }
            }
            out = next;
        }
        return out;
    }
}
