package dev.rivulet.broker;

import dev.rivulet.hub.Roster;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The chat roster of a cluster, in Redis: a hash per room, {@code <prefix>room:<room>}, of folded
 * name to {@code <node>\n<expiry ms>\n<name as shown>}, and the set {@code <prefix>rooms}. Each
 * change is one script, so two nodes cannot both take a name.
 */
final class RedisRoster implements Roster {

    private final RedisBroker redis;
    private final String node;
    private final String roomPrefix;
    private final String roomsKey;

    RedisRoster(RedisBroker redis, String node, String prefix) {
        this.redis = redis;
        this.node = node;
        this.roomPrefix = prefix + "room:";
        this.roomsKey = prefix + "rooms";
    }

    @Override
    public boolean claim(String room, String name, Duration ttl) {
        Long claimed = redis.run(RedisBroker.Script.ROSTER_CLAIM, ScriptOutputType.INTEGER,
                new String[] {roomPrefix + room, roomsKey}, fold(name), node, name, Long.toString(ttl.toMillis()), room);
        return claimed == 1;
    }

    @Override
    public void release(String room, String name) {
        redis.run(RedisBroker.Script.ROSTER_RELEASE, ScriptOutputType.INTEGER,
                new String[] {roomPrefix + room, roomsKey}, fold(name), node, room);
    }

    @Override
    public List<String> others(String room) {
        long now = System.currentTimeMillis();
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, String> entry : redis.commands(c -> c.hgetall(roomPrefix + room)).entrySet()) {
            String[] held = entry.getValue().split("\n", 3);
            if (held.length == 3 && !held[0].equals(node) && Long.parseLong(held[1]) > now) {
                names.add(held[2]);
            }
        }
        return names;
    }

    @Override
    public Map<String, List<String>> renew(Map<String, List<String>> mine, Duration ttl) {
        List<String> args = new ArrayList<>();
        args.add(node);
        args.add(Long.toString(ttl.toMillis()));
        args.add(roomPrefix);
        mine.forEach((room, names) -> names.forEach(n -> {
            args.add(room);
            args.add(fold(n));
        }));
        List<Object> gone = redis.run(RedisBroker.Script.ROSTER_RENEW, ScriptOutputType.MULTI,
                new String[] {roomsKey}, args.toArray(String[]::new));
        Map<String, List<String>> byRoom = new LinkedHashMap<>();
        for (int i = 0; i + 1 < gone.size(); i += 2) {
            byRoom.computeIfAbsent(text(gone.get(i)), r -> new ArrayList<>()).add(text(gone.get(i + 1)));
        }
        return byRoom;
    }

    @Override
    public boolean shared() {
        return true;
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(value);
    }

    private static String fold(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
