-- Lua 5.4 on WASI: strings, tables, closures, integer and float
-- arithmetic, and file I/O in the preopened directory /data.
print(_VERSION, #arg, arg[1])

-- strings
local s = "The quick brown fox jumps over the lazy dog"
local words = {}
for w in s:gmatch("%a+") do words[#words + 1] = w:lower() end
table.sort(words)
print(table.concat(words, ","))
print(s:upper():sub(5, 9), s:rep(2, "|"):len(), s:find("fox"), (s:gsub("o", "0")))
print(string.format("%5.2f|%-6d|%x|%q", math.pi, 42, 255, "a\nb"))
print(utf8.char(233, 8364, 128512), utf8.len("h\u{e9}llo"))

-- tables and closures
local function counter()
  local n = 0
  return function() n = n + 1; return n end
end
local c = counter(); c(); c()
print("counter", c())
local squares = {}
for i = 1, 1000 do squares[i] = i * i end
local sum = 0
for _, v in ipairs(squares) do sum = sum + v end
print("sum of squares", sum, math.maxinteger // 3, 7 // 2, 7 / 2, 2^53, 10 % 3, -7 // 2)
local t = setmetatable({}, {__index = function(_, k) return k .. "!" end})
print(t.hello, rawget(t, "hello"))

-- a pcall that does not raise: built without setjmp (wasm exceptions),
-- an error or a coroutine.yield aborts
print(pcall(function(a, b) return a + b end, 2, 3))

-- file I/O in /data
local f = assert(io.open("/data/out.txt", "w"))
for i = 1, 200 do f:write(string.format("line %03d %s\n", i, ("x"):rep(i % 17))) end
f:close()
local n, bytes = 0, 0
for line in io.lines("/data/out.txt") do n = n + 1; bytes = bytes + #line + 1 end
print("lines", n, "bytes", bytes)
local g = assert(io.open("/data/out.txt", "a+"))
g:write("appended\n")
g:seek("set", 0)
print("first", g:read("l"), "size", g:seek("end"))
g:close()
local input = assert(io.open("/data/input.txt", "r"))
local text = input:read("a")
input:close()
print("input", #text, select(2, text:gsub("\n", "")))
print(os.rename("/data/out.txt", "/data/renamed.txt"))
print(os.remove("/data/input.txt"))
print(io.open("/data/missing.txt"))
print("getenv", os.getenv("GREETING"), os.getenv("NOPE"))

-- stdin
local count = 0
for line in io.stdin:lines() do count = count + 1; io.write("stdin: ", line:reverse(), "\n") end
print("stdin lines", count)
io.stderr:write("to stderr\n")
os.exit(3)
