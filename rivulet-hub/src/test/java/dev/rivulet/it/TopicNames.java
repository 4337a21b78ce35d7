package dev.rivulet.it;

import java.util.UUID;

/** Topic names no other test (or earlier run against the same server) uses. */
public final class TopicNames {

    private TopicNames() {
    }

    /** {@code prefix} followed by a random suffix of letters and digits. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
