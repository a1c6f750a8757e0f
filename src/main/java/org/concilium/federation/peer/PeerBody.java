package org.concilium.federation.peer;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import org.concilium.federation.identity.SignedEnvelope;

/**
 * Reads a peer request's body, at most one envelope long ({@link SignedEnvelope#MAX_ENCODED}) and
 * within a deadline. Before, the whole body was collected in memory whatever its size: a member
 * streaming hundreds of MB held the heap and blocked the event loop the FHIR API shares, and a
 * member announcing a body it never sent held its connection for ever.
 */
final class PeerBody {

    private PeerBody() {
    }

    /** The body, or a {@link PeerRefusal}: 413 past the limit (announced or counted), 408 past the deadline. */
    static Future<Buffer> read(Vertx vertx, HttpServerRequest req, Duration deadline) {
        Promise<Buffer> done = Promise.promise();
        String announced = req.getHeader("Content-Length");
        if (announced != null && tooLong(announced)) {
            done.fail(new PeerRefusal(413, "TOO_LARGE", "announced body of " + announced + " bytes"));
            return done.future();
        }
        Buffer body = Buffer.buffer();
        long timer = vertx.setTimer(Math.max(1, deadline.toMillis()), id -> done.tryFail(
                new PeerRefusal(408, "TIMEOUT", "body not received within " + deadline)));
        req.handler(chunk -> {
            if (done.future().isComplete()) {
                return;
            }
            if ((long) body.length() + chunk.length() > SignedEnvelope.MAX_ENCODED) {
                vertx.cancelTimer(timer);
                done.tryFail(new PeerRefusal(413, "TOO_LARGE", "body longer than " + SignedEnvelope.MAX_ENCODED
                        + " bytes"));
                return;
            }
            body.appendBuffer(chunk);
        });
        req.endHandler(v -> {
            vertx.cancelTimer(timer);
            done.tryComplete(body);
        });
        req.exceptionHandler(e -> {
            vertx.cancelTimer(timer);
            done.tryFail(new PeerRefusal(400, "MALFORMED", "unreadable body: " + e.getMessage()));
        });
        return done.future();
    }

    private static boolean tooLong(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) > SignedEnvelope.MAX_ENCODED;
        } catch (NumberFormatException e) {
            return false; // the HTTP layer refuses a malformed length itself
        }
    }

    /** Answers a refused body and closes the connection: the rest of the body is not read. */
    static void refuse(HttpServerRequest req, int status, String text) {
        if (req.response().ended() || req.response().closed()) {
            return;
        }
        req.response().setStatusCode(status).putHeader("Content-Type", "text/plain").putHeader("Connection", "close")
                .end(text).onComplete(x -> req.connection().close());
    }
}
