-- wrk script for bench/run.sh: each request takes the next path of a file (one path with its query per line), so
-- the query changes on every request. Thread t of T asks lines t, t+T, t+2T, ... (wrapping), so that the threads
-- together walk the file in order and a path comes back only after every other one has been asked.
--
--   BENCH_PATHS=paths.txt BENCH_STRIDE=2 wrk -t2 -c32 -d10s -s bench/lua/rotate.lua http://127.0.0.1:PORT/
--
-- BENCH_PATHS: the file (required); BENCH_STRIDE: wrk's -t (default 1). Status codes are counted by wrk itself
-- ("Non-2xx or 3xx responses"), which keeps the Lua side out of the response path.
local next_thread = 0

function setup(thread)
    thread:set("thread_index", next_thread)
    next_thread = next_thread + 1
end

local paths = {}
local i = 0
local stride = 1

function init(args)
    local file = os.getenv("BENCH_PATHS")
    assert(file, "BENCH_PATHS is not set")
    for line in io.lines(file) do
        if line ~= "" then
            paths[#paths + 1] = line
        end
    end
    assert(#paths > 0, "no path in " .. file)
    stride = tonumber(os.getenv("BENCH_STRIDE") or "1")
    i = (thread_index or 0) % #paths
end

function request()
    local p = paths[i + 1]
    i = (i + stride) % #paths
    return wrk.format("GET", p)
end
