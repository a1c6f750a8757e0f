package org.concilium.measure;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.xml.namespace.QName;
import org.hl7.elm.r1.After;
import org.hl7.elm.r1.As;
import org.hl7.elm.r1.Before;
import org.hl7.elm.r1.BinaryExpression;
import org.hl7.elm.r1.Case;
import org.hl7.elm.r1.CaseItem;
import org.hl7.elm.r1.Element;
import org.hl7.elm.r1.Expression;
import org.hl7.elm.r1.ExpressionDef;
import org.hl7.elm.r1.FunctionRef;
import org.hl7.elm.r1.In;
import org.hl7.elm.r1.IncludedIn;
import org.hl7.elm.r1.Interval;
import org.hl7.elm.r1.Is;
import org.hl7.elm.r1.Library;
import org.hl7.elm.r1.NamedTypeSpecifier;
import org.hl7.elm.r1.ProperIn;
import org.hl7.elm.r1.ProperIncludedIn;
import org.hl7.elm.r1.SameAs;
import org.hl7.elm.r1.SameOrAfter;
import org.hl7.elm.r1.SameOrBefore;

/**
 * Keeps every alternative of a choice-typed FHIR element in CQL timing comparisons.
 *
 * <p>Why: the translator resolves an operator over a choice (e.g. {@code Procedure.performed},
 * {@code Choice<dateTime, Period, ...>}) to ONE alternative at compile time, by conversion cost:
 * {@code P.performed during "Measurement Period"} becomes
 * {@code In(FHIRHelpers.ToDateTime(P.performed as dateTime), MP)}, so a procedure recorded with
 * {@code performedPeriod} casts to null and the numerator is silently false (cqframework
 * clinical_quality_language#331). The CQL choice-type rule is that an expression of a choice type
 * may be used where any alternative is expected; this pass makes each alternative behave exactly
 * as the translator compiles an element of that one type:
 *
 * <ul>
 *   <li>point resolution ({@code In}, {@code ProperIn}, {@code Before}, {@code After},
 *       {@code SameAs}, {@code SameOrBefore}, {@code SameOrAfter}) over {@code ToDateTime(x as dateTime)}:
 *       when {@code x is Period} the same comparison runs on {@code FHIRHelpers.ToInterval(x as Period)}
 *       ({@code In} → {@code IncludedIn}, {@code ProperIn} → {@code ProperIncludedIn}, the others take
 *       an interval operand as they are); when {@code x is instant}, on {@code ToDateTime(x as instant)};</li>
 *   <li>interval resolution ({@code ToInterval(x as Period)} anywhere): a {@code dateTime} or
 *       {@code instant} value is the unit interval {@code [d, d]} (the CQL point-to-interval promotion,
 *       and what MATGlobalCommonFunctions' "Normalize Interval" does).</li>
 * </ul>
 *
 * Only the casts the translator inserted itself are touched (they carry no source locator); an
 * author's explicit {@code x as FHIR.dateTime} keeps its meaning. ELM without locators is left as is.
 */
final class ChoiceTiming {

    private static final String FHIR = "http://hl7.org/fhir";
    private static final QName DATE_TIME = new QName(FHIR, "dateTime");
    private static final QName INSTANT = new QName(FHIR, "instant");
    private static final QName PERIOD = new QName(FHIR, "Period");
    private static final Map<Class<?>, List<Property>> PROPERTIES = new ConcurrentHashMap<>();

    private ChoiceTiming() {}

    /** Rewrites the library's definitions in place; idempotent. */
    static void apply(Library library) {
        if (library.getStatements() == null) {
            return;
        }
        for (ExpressionDef def : library.getStatements().getDef()) {
            if (def.getLocator() == null || def.getExpression() == null) {
                continue;
            }
            def.setExpression(rewrite(def.getExpression()));
        }
    }

    private static Expression rewrite(Expression e) {
        walkChildren(e);
        return transform(e);
    }

    private static void walkChildren(Element node) {
        for (Property p : properties(node.getClass())) {
            Object value = p.get(node);
            if (value instanceof Expression child) {
                Expression replaced = rewrite(child);
                if (replaced != child) {
                    p.set(node, replaced);
                }
            } else if (value instanceof List<?> list) {
                List<Object> copy = new ArrayList<>(list);
                boolean changed = false;
                for (int i = 0; i < copy.size(); i++) {
                    if (copy.get(i) instanceof Expression child) {
                        Expression replaced = rewrite(child);
                        if (replaced != child) {
                            copy.set(i, replaced);
                            changed = true;
                        }
                    } else if (copy.get(i) instanceof Element element) {
                        walkChildren(element);
                    }
                }
                if (changed) {
                    p.set(node, copy);
                }
            } else if (value instanceof Element element) {
                walkChildren(element);
            }
        }
    }

    private static Expression transform(Expression e) {
        if (isImplicitCast(e, "ToInterval", PERIOD)) {
            return intervalOfAnyAlternative((FunctionRef) e);
        }
        if (e instanceof BinaryExpression op && isPointOperator(op)) {
            for (int i = 0; i < op.getOperand().size(); i++) {
                Expression operand = op.getOperand().get(i);
                if (isImplicitCast(operand, "ToDateTime", DATE_TIME)) {
                    FunctionRef cast = (FunctionRef) operand;
                    return pointOrPeriod(op, i, ((As) cast.getOperand().get(0)).getOperand(), cast.getLibraryName(), true);
                }
                FunctionRef first = implicitPointCase(operand);
                if (first != null) {
                    return pointOrPeriod(op, i, ((As) first.getOperand().get(0)).getOperand(), first.getLibraryName(), false);
                }
            }
        }
        return e;
    }

    /**
     * The translator's own dispatch over several point alternatives ({@code Observation.effective}:
     * dateTime and instant): {@code case when x is T then FHIRHelpers.ToDateTime(x as T) ... else null}.
     * Returns the first conversion, or null when {@code e} is not that shape.
     */
    private static FunctionRef implicitPointCase(Expression e) {
        if (!(e instanceof Case c) || c.getLocator() != null || c.getComparand() != null || c.getCaseItem().isEmpty()
                || !(c.getElse() instanceof org.hl7.elm.r1.Null)) {
            return null;
        }
        FunctionRef first = null;
        for (CaseItem item : c.getCaseItem()) {
            if (!(item.getWhen() instanceof Is) || !(item.getThen() instanceof FunctionRef f)
                    || !"ToDateTime".equals(f.getName()) || f.getLocator() != null || f.getOperand().size() != 1
                    || !(f.getOperand().get(0) instanceof As as) || as.getLocator() != null) {
                return null;
            }
            if (first == null) {
                first = f;
            }
        }
        return first;
    }

    private static boolean isPointOperator(BinaryExpression op) {
        return op instanceof In || op instanceof ProperIn || op instanceof Before || op instanceof After
                || op instanceof SameAs || op instanceof SameOrBefore || op instanceof SameOrAfter;
    }

    /** {@code FHIRHelpers.<function>(x as <type>)} as the translator inserts it (no locator on either node). */
    private static boolean isImplicitCast(Expression e, String function, QName type) {
        return e instanceof FunctionRef f && function.equals(f.getName()) && f.getLibraryName() != null
                && f.getLocator() == null && f.getOperand().size() == 1
                && f.getOperand().get(0) instanceof As as && as.getLocator() == null && type.equals(as.getAsType());
    }

    private static Expression pointOrPeriod(BinaryExpression op, int index, Expression choice, String helpers,
            boolean addInstant) {
        List<CaseItem> items = new ArrayList<>();
        BinaryExpression onPeriod = intervalCounterpart(op);
        onPeriod.setOperand(replaced(op.getOperand(), index, convert(helpers, "ToInterval", choice, PERIOD)));
        items.add(new CaseItem().withWhen(is(choice, PERIOD)).withThen(onPeriod));
        if (addInstant) {
            BinaryExpression onInstant = sameOperator(op);
            onInstant.setOperand(replaced(op.getOperand(), index, convert(helpers, "ToDateTime", choice, INSTANT)));
            items.add(new CaseItem().withWhen(is(choice, INSTANT)).withThen(onInstant));
        }
        return new Case().withCaseItem(items).withElse(op);
    }

    private static Expression intervalOfAnyAlternative(FunctionRef toInterval) {
        Expression choice = ((As) toInterval.getOperand().get(0)).getOperand();
        String helpers = toInterval.getLibraryName();
        return new Case()
                .withCaseItem(List.of(
                        new CaseItem().withWhen(is(choice, DATE_TIME)).withThen(unitInterval(helpers, choice, DATE_TIME)),
                        new CaseItem().withWhen(is(choice, INSTANT)).withThen(unitInterval(helpers, choice, INSTANT))))
                .withElse(toInterval);
    }

    private static Expression unitInterval(String helpers, Expression choice, QName type) {
        return new Interval().withLow(convert(helpers, "ToDateTime", choice, type)).withLowClosed(true)
                .withHigh(convert(helpers, "ToDateTime", choice, type)).withHighClosed(true);
    }

    private static FunctionRef convert(String helpers, String function, Expression choice, QName type) {
        return new FunctionRef().withLibraryName(helpers).withName(function)
                .withSignature(List.of(new NamedTypeSpecifier().withName(type)))
                .withOperand(List.of(new As().withOperand(choice).withAsType(type)));
    }

    private static Is is(Expression choice, QName type) {
        return new Is().withOperand(choice).withIsType(type);
    }

    private static List<Expression> replaced(List<Expression> operands, int index, Expression with) {
        List<Expression> out = new ArrayList<>(operands);
        out.set(index, with);
        return out;
    }

    /** The interval form of a point operator: In → IncludedIn, ProperIn → ProperIncludedIn; the others take intervals. */
    private static BinaryExpression intervalCounterpart(BinaryExpression op) {
        if (op instanceof In in) {
            return new IncludedIn().withPrecision(in.getPrecision());
        }
        if (op instanceof ProperIn in) {
            return new ProperIncludedIn().withPrecision(in.getPrecision());
        }
        return sameOperator(op);
    }

    private static BinaryExpression sameOperator(BinaryExpression op) {
        if (op instanceof In in) {
            return new In().withPrecision(in.getPrecision());
        }
        if (op instanceof ProperIn in) {
            return new ProperIn().withPrecision(in.getPrecision());
        }
        if (op instanceof Before b) {
            return new Before().withPrecision(b.getPrecision());
        }
        if (op instanceof After a) {
            return new After().withPrecision(a.getPrecision());
        }
        if (op instanceof SameAs s) {
            return new SameAs().withPrecision(s.getPrecision());
        }
        if (op instanceof SameOrBefore s) {
            return new SameOrBefore().withPrecision(s.getPrecision());
        }
        SameOrAfter s = (SameOrAfter) op;
        return new SameOrAfter().withPrecision(s.getPrecision());
    }

    /** An ELM bean property holding child nodes (Expression, Element or a list of them). */
    private record Property(Method getter, Method setter) {
        Object get(Object target) {
            try {
                return getter.invoke(target);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        void set(Object target, Object value) {
            try {
                setter.invoke(target, value);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static List<Property> properties(Class<?> type) {
        return PROPERTIES.computeIfAbsent(type, ChoiceTiming::scan);
    }

    private static List<Property> scan(Class<?> type) {
        List<Property> out = new ArrayList<>();
        for (Method getter : type.getMethods()) {
            String name = getter.getName();
            if (!name.startsWith("get") || name.contains("$") || getter.getParameterCount() != 0
                    || name.equals("getAnnotation") || name.equals("getSignature")
                    || name.equals("getResultTypeSpecifier") || name.equals("getClass")) {
                continue;
            }
            Class<?> r = getter.getReturnType();
            if (!Element.class.isAssignableFrom(r) && !List.class.isAssignableFrom(r)) {
                continue;
            }
            if (Element.class.isAssignableFrom(r) && !Expression.class.isAssignableFrom(r)
                    && org.hl7.elm.r1.TypeSpecifier.class.isAssignableFrom(r)) {
                continue;
            }
            try {
                Method setter = type.getMethod("set" + name.substring(3), r);
                out.add(new Property(getter, setter));
            } catch (NoSuchMethodException e) {
                // read-only: not a child slot
            }
        }
        return List.copyOf(out);
    }
}
