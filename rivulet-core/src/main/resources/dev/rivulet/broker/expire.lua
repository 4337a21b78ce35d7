-- Drops the events of the given topics that are older than history's age, recording the newest
-- id dropped as the topic's floor. A topic left with no event is forgotten, and its floor moves
-- the horizon, so a client whose id predates it still learns of the gap.
--
-- KEYS: 1 horizon, 2 topic set, 3 floors (hash)
-- ARGV: 1 max age (microseconds), 2 the prefix of stream keys, 3... topics
local function text(n) return string.format('%.0f', n) end
local function position(entry) return tonumber((string.gsub(entry, '%-.*$', ''))) end

local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local oldest = text(now - tonumber(ARGV[1]))
for i = 3, #ARGV do
  local topic = ARGV[i]
  local stream = ARGV[2] .. topic
  local first = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)
  local expired = {}
  if #first > 0 and position(first[1][1]) < tonumber(oldest) then
    expired = redis.call('XREVRANGE', stream, '(' .. oldest .. '-0', '-', 'COUNT', 1)
  end
  if #expired > 0 then
    local floor = math.max(position(expired[1][1]), tonumber(redis.call('HGET', KEYS[3], topic) or '0'))
    redis.call('XTRIM', stream, 'MINID', oldest .. '-0')
    if redis.call('XLEN', stream) == 0 then
      redis.call('DEL', stream)
      redis.call('SREM', KEYS[2], topic)
      redis.call('HDEL', KEYS[3], topic)
      if floor > tonumber(redis.call('GET', KEYS[1]) or '0') then
        redis.call('SET', KEYS[1], text(floor))
      end
    else
      redis.call('HSET', KEYS[3], topic, text(floor))
    end
  end
end
return #ARGV - 2
