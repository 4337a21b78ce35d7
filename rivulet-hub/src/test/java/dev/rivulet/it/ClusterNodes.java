package dev.rivulet.it;

import java.util.Arrays;

/** The HTTP ports of the two-node cluster the cluster tests run against (system property {@code it.cluster.ports}). */
public final class ClusterNodes {

    private ClusterNodes() {
    }

    /** The ports, in the order Maven gave them; empty outside the cluster's test run. */
    public static int[] ports() {
        return Arrays.stream(System.getProperty("it.cluster.ports", "").split(","))
                .filter(s -> !s.isBlank()).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    }
}
