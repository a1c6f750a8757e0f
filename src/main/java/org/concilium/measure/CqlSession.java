package org.concilium.measure;

import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kotlin.Pair;
import org.hl7.elm.r1.ExpressionDef;
import org.hl7.elm.r1.FunctionDef;
import org.hl7.elm.r1.Library;
import org.hl7.elm.r1.VersionedIdentifier;
import org.opencds.cqf.cql.engine.execution.CqlEngine;
import org.opencds.cqf.cql.engine.execution.EvaluationExpressionRef;
import org.opencds.cqf.cql.engine.execution.EvaluationParams;
import org.opencds.cqf.cql.engine.execution.EvaluationResult;
import org.opencds.cqf.cql.engine.execution.EvaluationResults;
import org.opencds.cqf.cql.engine.execution.Libraries;
import org.opencds.cqf.cql.engine.execution.State;
import org.opencds.cqf.cql.engine.execution.Variable;

/**
 * A CQL engine bound to one thread. {@link #evaluate} runs named expressions in Patient context;
 * {@link #call} then applies a function (a stratifier or measure observation over one population
 * resource) in that same patient context, the way cqf-fhir-cr does.
 */
final class CqlSession {

    private final CqlEngine engine;
    private final VersionedIdentifier id;
    private final Library elm;
    private final Map<String, Object> parameters;
    private final ZonedDateTime evaluationTime = ZonedDateTime.now();
    private final Map<String, FunctionDef> functions = new HashMap<>();
    /** Where the engine's evaluated resources go; null when the report does not list them. */
    private EvaluatedResources evaluated;

    CqlSession(CqlEngine engine, VersionedIdentifier id, Library elm, Map<String, Object> parameters) {
        this.engine = engine;
        this.id = id;
        this.elm = elm;
        this.parameters = parameters;
    }

    /** From now on, the resources each evaluated expression retrieved are added to {@code sink}. */
    void recordEvaluatedResources(EvaluatedResources sink) {
        this.evaluated = sink;
    }

    /** Values of the expressions for one patient; throws the first CQL error. */
    Map<String, Object> evaluate(String patientId, List<String> expressions) {
        List<EvaluationExpressionRef> refs = expressions.stream().map(EvaluationExpressionRef::new).toList();
        EvaluationParams params = new EvaluationParams(
                Map.of(id, refs), new Pair<>("Patient", patientId), parameters, null, evaluationTime);
        EvaluationResults results = engine.evaluate(params);
        if (results.hasExceptions()) {
            throw results.getExceptions().values().iterator().next();
        }
        EvaluationResult result = results.getOnlyResultOrThrow();
        Map<String, Object> values = new HashMap<>();
        for (String name : expressions) {
            var r = result.get(name);
            values.put(name, r == null ? null : r.getValue());
            if (r != null && evaluated != null) {
                evaluated.addAll(r.getEvaluatedResources());
            }
        }
        return values;
    }

    /** Applies a function defined in the main library to {@code argument} (none for a zero-arity function). */
    Object call(String function, Object argument) {
        FunctionDef def = functions.computeIfAbsent(function, f -> {
            ExpressionDef d = Libraries.resolveExpressionRef(f, elm);
            return d instanceof FunctionDef fd ? fd : null;
        });
        if (def == null) {
            throw new IllegalArgumentException(function + " is not a function");
        }
        State state = engine.getState();
        state.init(List.of(elm));
        try {
            state.pushActivationFrame(def, def.getContext());
            try {
                if (!def.getOperand().isEmpty()) {
                    state.push(new Variable(def.getOperand().get(0).getName()).withValue(argument));
                }
                return engine.getEvaluationVisitor().visitExpression(def.getExpression(), state);
            } finally {
                state.popActivationFrame();
            }
        } finally {
            state.exitLibrary(true);
        }
    }
}
