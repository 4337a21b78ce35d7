package dev.rivulet.it;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The status line and headers of an HTTP/1.x response, read off a raw socket; names in lower case. */
public record ResponseHead(int status, Map<String, String> headers) {

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Reads the head up to its blank line, leaving the body unread; null when the connection
     * closed before the status line.
     */
    public static ResponseHead read(InputStream in) throws IOException {
        String statusLine = ChunkedInputStream.readFramingLine(in);
        if (statusLine == null) {
            return null;
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = ChunkedInputStream.readFramingLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        if (line == null) {
            throw new EOFException("connection closed inside the response head");
        }
        return new ResponseHead(Integer.parseInt(parts[1]), headers);
    }
}
