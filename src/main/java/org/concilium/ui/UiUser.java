package org.concilium.ui;

/** A person who may sign in to the dashboard: a name, a role and the hash of a password. */
public record UiUser(String name, UiRole role, String passwordHash) {
}
