/**
 * The release policy of network results (docs/privacy.md): small-cell suppression, distributed
 * Skellam noise shares and their privacy accounting, each as plain validated values.
 *
 * <p>May depend on {@code layout} (which slots are counts) and the JDK; no CDI, no database.
 */
package org.concilium.privacy;
