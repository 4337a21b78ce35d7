-- Renews one node's chat members for another lifetime, and lets go of every member, of any node,
-- whose lifetime ran out (its node died). Answers those as room, name, room, name, ...: the one
-- node that removes an entry is the one that announces its leave.
--
-- KEYS: 1 the set of rooms
-- ARGV: 1 node, 2 lifetime (ms), 3 the prefix of room hashes, then room, folded name, ... of this node
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local expiry = string.format('%.0f', now + tonumber(ARGV[2]))
for i = 4, #ARGV, 2 do
  local room = ARGV[3] .. ARGV[i]
  local held = redis.call('HGET', room, ARGV[i + 1])
  if held then
    local node, _, shown = string.match(held, '^([^\n]*)\n([^\n]*)\n(.*)$')
    if node == ARGV[1] then
      redis.call('HSET', room, ARGV[i + 1], node .. '\n' .. expiry .. '\n' .. shown)
    end
  end
end
local gone = {}
for _, room in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = ARGV[3] .. room
  local entries = redis.call('HGETALL', key)
  for j = 1, #entries, 2 do
    local _, until_, shown = string.match(entries[j + 1], '^([^\n]*)\n([^\n]*)\n(.*)$')
    if tonumber(until_) <= now then
      redis.call('HDEL', key, entries[j])
      table.insert(gone, room)
      table.insert(gone, shown)
    end
  end
  if redis.call('HLEN', key) == 0 then
    redis.call('SREM', KEYS[1], room)
  end
end
return gone
