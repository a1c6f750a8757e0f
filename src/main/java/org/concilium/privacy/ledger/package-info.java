/**
 * This site's privacy ledger (docs/privacy.md): the ε every admitted query cost its (entry node,
 * querier) pair, the refund rule for queries that released nothing, and the per-pair lock that
 * serialises admissions ({@link org.concilium.privacy.ledger.PrivacyLedger}, Hibernate Reactive with
 * Panache). The federation's admission writes a debit in the transaction that creates the query.
 *
 * <p>May depend on {@code store} (transactions) and Quarkus' Panache; nothing of the federation
 * (the refund rule reads its tables by SQL).
 */
package org.concilium.privacy.ledger;
