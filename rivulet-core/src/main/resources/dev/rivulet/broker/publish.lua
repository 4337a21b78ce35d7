-- Publishes one event, atomically: assigns its id (one sequence for the whole cluster, strictly
-- increasing across topics and restarts), appends it to its topic's stream, trims the stream by
-- count and by age while recording the newest id each trim dropped (Redis does not say), and
-- hands the event to every node. Nothing else assigns ids, so no id can arrive out of order.
--
-- KEYS: 1 sequence, 2 horizon, 3 topic set, 4 floors (hash), 5 the topic's stream, 6 the set of
--       topics whose events carry alternate topics
-- ARGV: 1 topic, 2 type, 3 private (1 or 0), 4 data, 5 max events, 6 max age (microseconds),
--       7 channel, 8 publishing node, 9 the event's Mercure fields (EventMeta, empty for none),
--       10 whether it has alternate topics (1 or 0)
-- Answers: id, time (milliseconds), how many nodes received it.
local function text(n) return string.format('%.0f', n) end
local function position(entry) return tonumber((string.gsub(entry, '%-.*$', ''))) end

local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local last = tonumber(redis.call('GET', KEYS[1]))
if not last then
  -- A Redis without this hub's data (new, or restarted without it): history begins now, and a
  -- client's older id is older than history.
  last = now
  redis.call('SET', KEYS[2], text(now))
end
local id = math.max(last + 1, now)
redis.call('SET', KEYS[1], text(id))
local millis = math.floor(now / 1000)

local maxEvents = tonumber(ARGV[5])
if maxEvents == 0 then
  -- Nothing is retained: history begins after every event.
  redis.call('SET', KEYS[2], text(id))
else
  if redis.call('EXISTS', KEYS[5]) == 0 then
    -- A new stream holds nothing from before the horizon: a cursor below it is a gap.
    local horizon = tonumber(redis.call('GET', KEYS[2]) or '0')
    if horizon > tonumber(redis.call('HGET', KEYS[4], ARGV[1]) or '0') then
      redis.call('HSET', KEYS[4], ARGV[1], text(horizon))
    end
  end
  if ARGV[9] == '' then
    redis.call('XADD', KEYS[5], text(id) .. '-0', 'y', ARGV[2], 'p', ARGV[3], 'm', text(millis), 'd', ARGV[4])
  else
    redis.call('XADD', KEYS[5], text(id) .. '-0', 'y', ARGV[2], 'p', ARGV[3], 'm', text(millis), 'd', ARGV[4],
        'x', ARGV[9])
  end
  redis.call('SADD', KEYS[3], ARGV[1])
  if ARGV[10] == '1' then
    redis.call('SADD', KEYS[6], ARGV[1])
  end
  local floor = 0
  local length = redis.call('XLEN', KEYS[5])
  if length > maxEvents then
    local dropped = redis.call('XRANGE', KEYS[5], '-', '+', 'COUNT', length - maxEvents)
    floor = position(dropped[#dropped][1])
    redis.call('XTRIM', KEYS[5], 'MAXLEN', maxEvents)
  end
  -- Only when the oldest entry is past the age does Redis look further (a reverse range that
  -- finds nothing costs a hundred times more than this look at the first entry).
  local cut = now - tonumber(ARGV[6])
  local first = redis.call('XRANGE', KEYS[5], '-', '+', 'COUNT', 1)
  if #first > 0 and position(first[1][1]) < cut then
    local oldest = text(cut)
    local expired = redis.call('XREVRANGE', KEYS[5], '(' .. oldest .. '-0', '-', 'COUNT', 1)
    floor = math.max(floor, position(expired[1][1]))
    redis.call('XTRIM', KEYS[5], 'MINID', oldest .. '-0')
  end
  if floor > tonumber(redis.call('HGET', KEYS[4], ARGV[1]) or '0') then
    redis.call('HSET', KEYS[4], ARGV[1], text(floor))
  end
end

local nodes = redis.call('PUBLISH', ARGV[7],
    table.concat({ text(id), ARGV[8], ARGV[1], ARGV[2], ARGV[3], text(millis), ARGV[9], ARGV[4] }, '\n'))
return { text(id), text(millis), nodes }
