/** The cost of access control per request (bin/concilium bench token); prints JSON. */
package org.concilium.security.bench;
