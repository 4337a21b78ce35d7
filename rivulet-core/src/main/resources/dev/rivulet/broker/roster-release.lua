-- Lets go of a chat member's name in a room, if this node holds it.
--
-- KEYS: 1 the room's hash, 2 the set of rooms
-- ARGV: 1 folded name, 2 node, 3 room
local held = redis.call('HGET', KEYS[1], ARGV[1])
if held and string.match(held, '^([^\n]*)\n') == ARGV[2] then
  redis.call('HDEL', KEYS[1], ARGV[1])
  if redis.call('HLEN', KEYS[1]) == 0 then
    redis.call('SREM', KEYS[2], ARGV[3])
  end
  return 1
end
return 0
