-- Holds a chat member's name in a room for one node, unless another node holds it and its
-- lifetime has not run out. Entries are "<node>\n<expiry ms>\n<name as shown>", by folded name.
--
-- KEYS: 1 the room's hash, 2 the set of rooms
-- ARGV: 1 folded name, 2 node, 3 name as shown, 4 lifetime (ms), 5 room
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local held = redis.call('HGET', KEYS[1], ARGV[1])
if held then
  local node, expiry = string.match(held, '^([^\n]*)\n([^\n]*)\n')
  if node ~= ARGV[2] and tonumber(expiry) > now then
    return 0
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '\n' .. string.format('%.0f', now + tonumber(ARGV[4])) .. '\n' .. ARGV[3])
redis.call('SADD', KEYS[2], ARGV[5])
return 1
