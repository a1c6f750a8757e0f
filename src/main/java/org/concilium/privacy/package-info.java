/**
 * The release policy of network results (docs/privacy.md): the network's privacy policy as the
 * descriptor states it ({@code NetworkPrivacyPolicy}), the release steps of a decrypted vector
 * ({@code ReportRelease}: decode, decrease convention, small-cell suppression, and the report's
 * own disclosure of its protection, {@code PrivacyDisclosure}), distributed Skellam noise shares and
 * their privacy accounting, each as plain validated values. The ledger that debits ε per admitted
 * query is the subpackage {@code ledger} (database, CDI).
 *
 * <p>May depend on {@code layout} (which slots are counts, sensitivity), {@code measure}'s
 * {@code Scoring}, HAPI's FHIR model, Jackson annotations and the JDK; no CDI, no database.
 */
package org.concilium.privacy;
