package dev.rivulet.mercure;

import dev.rivulet.hub.InvalidInputException;
import dev.rivulet.hub.Utf8;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A publish body, {@code application/x-www-form-urlencoded}: names and values percent-decoded
 * ({@code +} is a space), in order, a name as often as it was sent. Bytes that are not UTF-8 and
 * escapes that are not two hex digits are refused with {@code invalid-form}, never replaced.
 */
public final class MercureForm {

    /** Most fields a publish may carry; more is refused before any is decoded. */
    public static final int MAX_FIELDS = 1000;

    private final Map<String, List<String>> fields;

    private MercureForm(Map<String, List<String>> fields) {
        this.fields = fields;
    }

    /** Parses a body of US-ASCII bytes as the form encoding makes them. */
    public static MercureForm parse(byte[] body) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        int start = 0;
        int count = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '&') {
                if (i > start) {
                    if (++count > MAX_FIELDS) {
                        throw new InvalidInputException("invalid-form", "a publish carries at most " + MAX_FIELDS + " fields");
                    }
                    int eq = start;
                    while (eq < i && body[eq] != '=') {
                        eq++;
                    }
                    String name = decode(body, start, eq);
                    String value = eq < i ? decode(body, eq + 1, i) : "";
                    fields.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
                }
                start = i + 1;
            }
        }
        return new MercureForm(fields);
    }

    /** Every value of {@code name}, in the order sent; empty when it was not sent. */
    public List<String> all(String name) {
        return fields.getOrDefault(name, List.of());
    }

    /** The value of {@code name}; null when it was not sent; {@code invalid-form} when it was sent twice. */
    public String one(String name) {
        List<String> values = all(name);
        if (values.size() > 1) {
            throw new InvalidInputException("invalid-form", "the field '" + name + "' may be sent only once");
        }
        return values.isEmpty() ? null : values.get(0);
    }

    /** True when {@code name} was sent, with any value. */
    public boolean has(String name) {
        return fields.containsKey(name);
    }

    private static String decode(byte[] body, int from, int to) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            byte b = body[i];
            if (b == '+') {
                bytes.write(' ');
            } else if (b == '%') {
                if (i + 2 >= to) {
                    throw new InvalidInputException("invalid-form", "a '%' in the form is not followed by two hex digits");
                }
                int hi = Character.digit(body[i + 1], 16);
                int lo = Character.digit(body[i + 2], 16);
                if (hi < 0 || lo < 0) {
                    throw new InvalidInputException("invalid-form", "a '%' in the form is not followed by two hex digits");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                bytes.write(b);
            }
        }
        return Utf8.decode(bytes.toByteArray(), "invalid-form", "the form holds bytes that are not UTF-8");
    }
}
