/**
 * The cost of value-set expansion over large generated CodeSystems ({@code bin/concilium bench
 * terminology}); prints JSON. Depends on terminology/ and HAPI's validation support only.
 */
package org.concilium.terminology.bench;
