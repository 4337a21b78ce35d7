package dev.rivulet.bench;

import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;

/** Writes results as JSON: maps, lists, records (by component name), strings, numbers, booleans. */
final class Json {

    private Json() {
    }

    static String of(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, "");
        return sb.append('\n').toString();
    }

    private static void write(StringBuilder sb, Object v, String indent) {
        String inner = indent + "  ";
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            sb.append('"');
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            sb.append('"');
        } else if (v instanceof Double d) {
            sb.append(d.isNaN() || d.isInfinite() ? "null" : String.format(java.util.Locale.ROOT, "%.3f", d));
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Map<?, ?> m) {
            sb.append("{");
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(first ? "\n" : ",\n").append(inner);
                write(sb, e.getKey().toString(), inner);
                sb.append(": ");
                write(sb, e.getValue(), inner);
                first = false;
            }
            sb.append(first ? "}" : "\n" + indent + "}");
        } else if (v instanceof List<?> l) {
            sb.append("[");
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "\n" : ",\n").append(inner);
                write(sb, l.get(i), inner);
            }
            sb.append(l.isEmpty() ? "]" : "\n" + indent + "]");
        } else if (v.getClass().isRecord()) {
            Map<String, Object> fields = new java.util.LinkedHashMap<>();
            for (RecordComponent c : v.getClass().getRecordComponents()) {
                try {
                    fields.put(c.getName(), c.getAccessor().invoke(v));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            write(sb, fields, indent);
        } else {
            write(sb, v.toString(), indent);
        }
    }
}
