// MQTT.js side of run_interop.py's proxy_mqttjs_* cases:
//   node mqttjs_peer.js PORT LEVEL        (LEVEL 3, 4 or 5)
// Two MQTT.js clients talk through the proxy on PORT: QoS 0/1/2, retained, unsubscribe, keep
// alive pings, a will delivered after an abrupt close, and in 5.0 properties of every kind
// MQTT.js sends (CONNECT, will, PUBLISH incl. topic alias, SUBSCRIBE, UNSUBSCRIBE). Prints
// "MQTTJS OK" when everything arrived as sent; exits 1 otherwise. Bounded by a 30 s timer.
'use strict';
const mqtt = require('mqtt');

const port = Number(process.argv[2]);
const level = Number(process.argv[3]);
const v5 = level === 5;
const pre = `js${level}`;

const timer = setTimeout(() => fail('timed out after 30 s'), 30000);
function fail(msg) {
  console.error(`mqttjs_peer: ${msg}`);
  process.exit(1);
}

function options(id, extra) {
  const o = {
    clientId: id,
    protocolVersion: level,
    protocolId: level === 3 ? 'MQIsdp' : 'MQTT',
    clean: true,
    keepalive: 1,
    reconnectPeriod: 0,
    connectTimeout: 10000,
    ...extra,
  };
  return o;
}

const subProps = v5
  ? {
      properties: {
        sessionExpiryInterval: 0,
        receiveMaximum: 50,
        maximumPacketSize: 1000000,
        topicAliasMaximum: 0,
        requestResponseInformation: false,
        requestProblemInformation: true,
        userProperties: { peer: 'mqttjs' },
      },
    }
  : {};

const pubProps = {
  payloadFormatIndicator: true,
  messageExpiryInterval: 600,
  contentType: 'text/plain',
  responseTopic: `${pre}/reply`,
  correlationData: Buffer.from([0, 1, 2, 0xff]),
  userProperties: { a: '1', b: ['2', '3'] },
};

const received = [];
function connected(client) {
  return new Promise((resolve, reject) => {
    client.once('connect', resolve);
    client.once('error', reject);
  });
}
function waitFor(pred, what) {
  return new Promise((resolve) => {
    const t = setInterval(() => {
      if (pred()) {
        clearInterval(t);
        resolve();
      }
    }, 20);
  }).catch(() => fail(what));
}

async function main() {
  const sub = mqtt.connect(`mqtt://127.0.0.1:${port}`, options(`${pre}-sub`, {
    username: 'user',
    password: 'secret',
    ...subProps,
  }));
  await connected(sub);
  sub.on('message', (topic, payload, packet) => received.push({ topic, payload, packet }));
  const subOpts = { qos: 2 };
  if (v5) subOpts.properties = { subscriptionIdentifier: 42, userProperties: { s: 'x' } };
  const granted = await sub.subscribeAsync(
    [`${pre}/q0`, `${pre}/q1/#`, `${pre}/+/q2`, `${pre}/ret`, `${pre}/will`, `${pre}/gone`],
    subOpts);
  if (granted.some((g) => g.qos > 2)) fail(`subscription refused: ${JSON.stringify(granted)}`);
  await sub.unsubscribeAsync(`${pre}/gone`, v5 ? { properties: { userProperties: { u: 'y' } } } : undefined);

  const will = {
    topic: `${pre}/will`,
    payload: Buffer.from('bye'),
    qos: 1,
    retain: false,
  };
  if (v5) {
    will.properties = {
      willDelayInterval: 0,
      payloadFormatIndicator: true,
      messageExpiryInterval: 60,
      contentType: 'text/plain',
      responseTopic: `${pre}/w`,
      correlationData: Buffer.from('wc'),
      userProperties: { w: 'v' },
    };
  }
  const pub = mqtt.connect(`mqtt://127.0.0.1:${port}`,
    options(`${pre}-pub`, { will, autoUseTopicAlias: v5 }));
  await connected(pub);
  const p = (topic, msg, qos, extra = {}) => pub.publishAsync(topic, msg, { qos, ...extra });
  await p(`${pre}/gone`, 'must not arrive', 1);
  await p(`${pre}/q0`, 'zero', 0, v5 ? { properties: pubProps } : {});
  await p(`${pre}/q1/x`, 'one', 1, v5 ? { properties: { ...pubProps, topicAlias: 1 } } : {});
  await p(`${pre}/q1/x`, 'one again', 1);  // 5.0: sent with the alias and an empty topic
  await p(`${pre}/a/q2`, 'two', 2, v5 ? { properties: pubProps } : {});
  await p(`${pre}/ret`, 'kept', 1, { retain: true });
  await waitFor(() => received.length >= 5, 'five messages');
  // Stay idle past the keep alive so both clients ping through the proxy.
  await new Promise((r) => setTimeout(r, 2500));
  pub.stream.destroy();  // abrupt close: the broker publishes the will
  await waitFor(() => received.length >= 6, 'the will');

  const byTopic = {};
  for (const m of received) (byTopic[m.topic] = byTopic[m.topic] || []).push(m);
  const text = (t) => (byTopic[t] || []).map((m) => m.payload.toString());
  const expect = (t, want) => {
    const got = JSON.stringify(text(t));
    if (got !== JSON.stringify(want)) fail(`${t}: got ${got}, want ${JSON.stringify(want)}`);
  };
  expect(`${pre}/q0`, ['zero']);
  expect(`${pre}/q1/x`, ['one', 'one again']);
  expect(`${pre}/a/q2`, ['two']);
  expect(`${pre}/ret`, ['kept']);
  expect(`${pre}/will`, ['bye']);
  if (byTopic[`${pre}/gone`]) fail('message on an unsubscribed topic arrived');
  const q2 = byTopic[`${pre}/a/q2`][0].packet;
  if (q2.qos !== 2) fail(`QoS 2 message arrived at QoS ${q2.qos}`);
  if (byTopic[`${pre}/will`][0].packet.qos !== 1) fail('will QoS');
  if (v5) {
    const pr = q2.properties || {};
    const want = {
      payloadFormatIndicator: true,
      contentType: 'text/plain',
      responseTopic: `${pre}/reply`,
      correlationData: '000102ff',
      userProperties: { a: '1', b: ['2', '3'] },
      subscriptionIdentifier: 42,
    };
    const got = {
      payloadFormatIndicator: pr.payloadFormatIndicator,
      contentType: pr.contentType,
      responseTopic: pr.responseTopic,
      correlationData: pr.correlationData && pr.correlationData.toString('hex'),
      userProperties: pr.userProperties,
      subscriptionIdentifier: pr.subscriptionIdentifier,
    };
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      fail(`v5 properties: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    }
    if (!(pr.messageExpiryInterval > 0 && pr.messageExpiryInterval <= 600)) fail('expiry');
    const wp = byTopic[`${pre}/will`][0].packet.properties || {};
    if (wp.contentType !== 'text/plain' || wp.responseTopic !== `${pre}/w` ||
        JSON.stringify(wp.userProperties) !== '{"w":"v"}') {
      fail(`will properties: ${JSON.stringify(wp)}`);
    }
  }
  await sub.endAsync();
  clearTimeout(timer);
  console.log(`MQTTJS OK: level ${level}, ${received.length} messages as sent`);
  process.exit(0);
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));
