package dev.rivulet.stream;

import dev.rivulet.hub.Cursor;
import dev.rivulet.hub.Outbound;
import dev.rivulet.hub.Transport;

/** How one streaming transport puts the hub's output on the wire. */
public interface StreamEncoder {

    /** Which transport this is, for the connection limits and metrics. */
    Transport transport();

    String contentType();

    /** The first bytes of a stream: the cursor it starts after, so a client can resume at once. */
    byte[] opening(Cursor cursor);

    byte[] encode(Outbound item);

    /** Written on a silent stream; finds clients that have gone away. */
    byte[] keepAlive();
}
