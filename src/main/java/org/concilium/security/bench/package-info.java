/**
 * The cost of access control per request ({@code bin/concilium bench token}); prints JSON. Depends on
 * security/ and its client side only.
 */
package org.concilium.security.bench;
