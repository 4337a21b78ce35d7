-- The newest id assigned. A Redis without this hub's data starts its sequence, and history, now.
--
-- KEYS: 1 sequence, 2 horizon
local last = redis.call('GET', KEYS[1])
if not last then
  local clock = redis.call('TIME')
  last = string.format('%.0f', tonumber(clock[1]) * 1000000 + tonumber(clock[2]))
  redis.call('SET', KEYS[1], last)
  redis.call('SET', KEYS[2], last)
end
return last
