/**
 * Checks of {@code deploy/}: a kustomize renderer for the subset of kustomize our manifests use
 * ({@link Kustomize}), a schema check against the fabric8 Kubernetes model that fails on unknown
 * fields ({@link KubernetesSchema}), and the tests that hold the overlays to the deployment rules.
 * Depends on test libraries and on {@code federation.identity} (to make real site identities).
 */
package org.concilium.deploy;
