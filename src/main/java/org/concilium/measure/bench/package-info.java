/**
 * {@code bin/concilium bench measure}: patients/s of our engine against stock cqf-fhir-cr, printed
 * as JSON. May depend on {@code measure}; used only by {@code cli/}.
 */
package org.concilium.measure.bench;
