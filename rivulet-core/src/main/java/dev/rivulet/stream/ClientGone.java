package dev.rivulet.stream;

import dev.rivulet.hub.Subscriber.CloseReason;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;

/** Closes a streaming response's connection when the container ends the request: the client went away. */
public record ClientGone(Connection connection) implements AsyncListener {

    @Override
    public void onComplete(AsyncEvent event) {
        connection.close(CloseReason.CLIENT_GONE);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        connection.close(CloseReason.CLIENT_GONE);
    }

    @Override
    public void onError(AsyncEvent event) {
        connection.close(CloseReason.CLIENT_GONE);
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // a stream is never restarted
    }
}
