'use strict'
// Forward differential test: packets encoded by mqttcodec, decoded by mqtt-packet.
//
//   node forward.js --dump MQTT_DUMP --gen GEN_PACKETS [--seed N] [--count N]
//
// gen_packets prints COUNT random valid packets per version (3.1.1 and 5.0, every type) as hex;
// mqtt-packet's parser decodes each, mqtt_dump decodes the same bytes, and the two results are
// compared field by field in the normalized form of common.js. A disagreement passes only when
// a rule in KNOWN_DIVERGENCES explains it exactly (each is documented with bytes and the spec
// text in docs/interop-notes.md); every other one fails the test.

const common = require('./common')

const args = common.parseArgs(process.argv)
const mqtt = common.loadMqttPacket()
if (!args.gen) {
  console.error('forward.js needs --gen GEN_PACKETS')
  process.exit(2)
}

// What mqtt-packet's parser makes of user properties: an object keyed by name, where a repeated
// name becomes an array of its values -- unless the value stored so far is falsy (""), which the
// next value then replaces (parser.js _parseProperties tests `if (result[name][n])`).
function mqttPacketUserProperties (pairs) {
  const obj = Object.create(null)
  for (const [n, v] of pairs) {
    if (obj[n]) {
      if (Array.isArray(obj[n])) obj[n].push(v)
      else obj[n] = [obj[n], v]
    } else {
      obj[n] = v
    }
  }
  return common.groupPairs(common.userPropsObjectToPairs(obj))
}

// Applies `f` to every user property list of a normalized packet (CONNECT has two blocks).
function mapUserProperties (dumpLine, f) {
  const out = JSON.parse(JSON.stringify(dumpLine))
  for (const holder of [out, out.will]) {
    if (holder && holder.properties && holder.properties.user_properties) {
      holder.properties.user_properties = f(holder.properties.user_properties)
    }
  }
  return out
}

// Known ways mqtt-packet 9.0.2 reads a valid packet differently, each explained in
// docs/interop-notes.md under the same name. `explains` gets the case and returns true only
// when the rule accounts for mqtt-packet's result exactly.
const KNOWN_DIVERGENCES = [
  {
    // docs/interop-notes.md#auth-without-reason-code
    name: 'auth-without-reason-code',
    explains: c => c.dump.type === 'auth' && c.hex === 'f000' && c.error !== null &&
      /Invalid auth reason code/.test(c.error.message)
  },
  {
    // docs/interop-notes.md#user-property-after-empty-value
    name: 'user-property-after-empty-value',
    explains: c => {
      if (c.error !== null) return false
      const expected = common.fromDump(mapUserProperties(c.dump, mqttPacketUserProperties),
        c.version, 'as-is')
      return common.same(expected, c.parsed)
    }
  }
]

function parseWithMqttPacket (buf, version) {
  const parser = mqtt.parser({ protocolVersion: version })
  const packets = []
  let error = null
  parser.on('packet', p => packets.push(p))
  parser.on('error', e => { if (!error) error = e })
  parser.parse(buf)
  if (!error && packets.length !== 1) {
    error = new Error(`parser emitted ${packets.length} packets`)
  }
  return { packet: packets[0], error }
}

const gen = common.runProgram(args.gen, [String(args.seed), String(args.count)], { maxBuffer: 1 << 30 })
if (gen.error) throw gen.error
if (gen.status !== 0) {
  process.stdout.write(gen.stderr.toString())
  console.log('gen_packets failed: mqttcodec refused or changed a packet it was given')
  console.log('0 passed, 1 failed')
  process.exit(1)
}
const lines = gen.stdout.toString().split('\n').filter(l => l.length > 0)
const byVersion = { 4: [], 5: [] }
for (const l of lines) {
  const [v, h] = l.split(' ')
  byVersion[v].push(h)
}

const counts = {}
const exclusions = Object.fromEntries(KNOWN_DIVERGENCES.map(k => [k.name, 0]))
const failures = []
const seenProperties = {}
let passed = 0

for (const version of [4, 5]) {
  const hexes = byVersion[version]
  const dumped = common.runDump(args.dump, version, hexes, false)
  const perType = (counts[version === 5 ? '5.0' : '3.1.1'] = {})
  hexes.forEach((h, i) => {
    const d = dumped[i]
    const label = `v${version} ${d.type || 'invalid'} ${h.length > 160 ? h.slice(0, 160) + '...' : h}`
    if (d.error) {
      failures.push(`${label}: mqtt_dump rejected it: ${JSON.stringify(d)}`)
      return
    }
    perType[d.type] = (perType[d.type] || 0) + 1
    const truth = common.fromDump(d, version, 'grouped')
    if (version === 5) common.noteProperties(seenProperties, truth)
    const { packet, error } = parseWithMqttPacket(Buffer.from(h, 'hex'), version)
    const parsed = error ? null : common.fromJs(packet, version, 'grouped')
    if (!error && common.same(truth, parsed)) {
      passed++
      return
    }
    const c = { hex: h, version, dump: d, truth, parsed, error }
    const rule = KNOWN_DIVERGENCES.find(k => k.explains(c))
    if (rule) {
      exclusions[rule.name]++
      passed++
      return
    }
    failures.push(`${label}: ` + (error ? `mqtt-packet error: ${error.message}`
      : common.firstDifference(truth, parsed)))
  })
}

failures.push(...common.missingProperties(seenProperties))
process.exit(common.report(
  `forward: mqttcodec encodes (gen_packets seed ${args.seed}), mqtt-packet 9.0.2 decodes`,
  counts, exclusions, failures, passed))
