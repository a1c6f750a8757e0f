/**
 * The node's container image, built without a Docker daemon or a registry: {@link JlinkRuntime}
 * links a small Java runtime from the build JDK (with the C libraries it needs), {@link ContainerImage}
 * assembles it with the Quarkus application into an image tarball with Jib
 * ({@code bin/concilium image}), and {@code ImageIT} checks that tarball. Build tooling, kept in test
 * code so that Jib never reaches the node's classpath. Depends on nothing of ours.
 */
package org.concilium.image;
