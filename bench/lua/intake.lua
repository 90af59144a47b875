-- wrk script for bench/intake.sh: every request posts a new valid contribution (its own title and email, so neither
-- duplicate detection nor the email limit refuses it), built from a template with the number filled in: the load
-- generator costs next to nothing next to the server. Every acknowledged (202) status token is kept and written to
-- INTAKE_TOKENS at the end, one a line, for the check after the restart; the statuses are counted and printed.
--
--   INTAKE_FORM_TOKEN=f1.… INTAKE_RUN=abc INTAKE_TOKENS=tokens.txt INTAKE_THREADS=1 INTAKE_CONNECTIONS=16 \
--     wrk -t1 -c16 -d30s -s bench/lua/intake.lua http://127.0.0.1:PORT/.rest/exchange/v1/contributions
--
-- INTAKE_FORM_TOKEN: a form token fetched at least the minimum fill time before (required: without it every
-- submission is a bot's, answered 202 and never stored); INTAKE_RUN: distinguishes this run's texts from an earlier
-- run's on the same data (default: the time); INTAKE_TOKENS: the file written (required); INTAKE_APPEND=1 appends;
-- INTAKE_THREADS: wrk's -t (each thread numbers its submissions apart); INTAKE_CONNECTIONS: printed only.
local threads = {}
local next_thread = 0

function setup(thread)
    thread:set("thread_index", next_thread)
    next_thread = next_thread + 1
    threads[#threads + 1] = thread
end

local template
local n
local stride
-- globals: done() reads them from each thread (thread:get)
tokens = {}
statuses = {}

function init(args)
    local form = os.getenv("INTAKE_FORM_TOKEN")
    assert(form and form ~= "", "INTAKE_FORM_TOKEN is not set")
    local run = os.getenv("INTAKE_RUN") or tostring(os.time())
    -- %d: the submission's number (unique over the threads); the rest is fixed
    template = '{"category":"best-practice-example","title":"Load contribution %d ' .. run .. '",'
        .. '"description":"<p>Contribution %d sent by the intake load test: how a school kept routines going.</p>",'
        .. '"contributorName":"Load %d","contributorEmail":"load%d-' .. run .. '@example.org","contributorRole":"teacher",'
        .. '"preferredLanguage":"%s","consentToPublish":true,"website":"","formToken":"' .. form .. '"}'
    -- thread t of T sends numbers t + T, t + 2T, …: unique over the threads (INTAKE_THREADS: wrk's -t)
    n = thread_index or 0
    stride = tonumber(os.getenv("INTAKE_THREADS") or "1")
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
end

function request()
    n = n + stride
    local body = string.format(template, n, n, n, n, n % 2 == 0 and "en" or "cy")
    return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
    if status == 202 then
        local t = body:match('"token":"([^"]+)"')
        if t then
            tokens[#tokens + 1] = t
        end
    end
end

function done(summary, latency, requests)
    local file = os.getenv("INTAKE_TOKENS")
    assert(file, "INTAKE_TOKENS is not set")
    local out = assert(io.open(file, os.getenv("INTAKE_APPEND") == "1" and "a" or "w"))
    local accepted = 0
    local by = {}
    for _, t in ipairs(threads) do
        for _, tok in ipairs(t:get("tokens")) do
            out:write(tok, "\n")
            accepted = accepted + 1
        end
        for s, c in pairs(t:get("statuses")) do
            by[s] = (by[s] or 0) + c
        end
    end
    out:close()
    local keys = {}
    for s in pairs(by) do
        keys[#keys + 1] = s
    end
    table.sort(keys)
    local parts = {}
    for _, s in ipairs(keys) do
        parts[#parts + 1] = s .. "=" .. by[s]
    end
    local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
    if errors > 0 then
        parts[#parts + 1] = "socket errors=" .. errors
    end
    local seconds = summary.duration / 1e6
    io.write(string.format("intake load (wrk): %d connections, %.1f s, statuses {%s}, accepted %d = %.0f accepted/s, p50 %.1f ms, p99 %.1f ms\n",
        tonumber(os.getenv("INTAKE_CONNECTIONS") or "0"), seconds, table.concat(parts, ", "), accepted,
        accepted / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
