package org.concilium.ui;

import java.time.Instant;

/** One signed-in browser: who, with which role, until when. */
public record UiSession(String user, UiRole role, Instant expires) {
}
