package org.concilium.federation.peer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A peer response body of at most {@code max} bytes: past it the exchange is cancelled (its
 * connection closed) and the call fails. Before, a member's answer was collected whatever its size,
 * so one site answering an endless body filled the entry node's heap.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {

    /** The response was longer than any envelope. */
    static final class TooLong extends IOException {
        TooLong(long max) {
            super("response longer than " + max + " bytes");
        }
    }

    private final long max;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private Flow.Subscription subscription;

    private BoundedBody(long max) {
        this.max = max;
    }

    /** Whether a failed exchange failed because of this bound (the client may wrap the cause). */
    static boolean causedBy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TooLong) {
                return true;
            }
        }
        return false;
    }

    static HttpResponse.BodyHandler<byte[]> upTo(long max) {
        return info -> {
            if (info.headers().firstValueAsLong("Content-Length").orElse(0) > max) {
                BoundedBody refused = new BoundedBody(max);
                refused.body.completeExceptionally(new TooLong(max));
                return refused;
            }
            return new BoundedBody(max);
        };
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (body.isDone()) {
            s.cancel();
        } else {
            s.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (body.isDone()) {
            return;
        }
        for (ByteBuffer b : items) {
            if (bytes.size() + (long) b.remaining() > max) {
                subscription.cancel();
                body.completeExceptionally(new TooLong(max));
                return;
            }
            byte[] chunk = new byte[b.remaining()];
            b.get(chunk);
            bytes.writeBytes(chunk);
        }
    }

    @Override
    public void onError(Throwable e) {
        body.completeExceptionally(e);
    }

    @Override
    public void onComplete() {
        body.complete(bytes.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return body;
    }
}
